// The app's preview of an invoice's language formats as the server does: the same cases as the server's
// InvoiceLanguagesTests (issue date 2 March 2026, a balance of 2,826.25 EUR).
import { describe, expect, it } from 'vitest';
import { LANGUAGES, loadLanguage } from '../src/format/documentLanguage';

const cases: [string, string, string, string][] = [
  ['en', 'INVOICE', '2 Mar 2026', '2,826.25 EUR'],
  ['de', 'RECHNUNG', '2. März 2026', '2.826,25 EUR'],
  ['fr', 'FACTURE', '2 mars 2026', '2\u202f826,25 EUR'],
  ['es', 'FACTURA', '2 de marzo de 2026', '2.826,25 EUR'],
  ['it', 'FATTURA', '2 marzo 2026', '2.826,25 EUR'],
  ['pt', 'FATURA', '2 de março de 2026', '2.826,25 EUR'],
  ['nl', 'FACTUUR', '2 maart 2026', '2.826,25 EUR'],
  ['pl', 'FAKTURA', '2 marca 2026', '2\u00a0826,25 EUR'],
  ['ja', '請求書', '2026年3月2日', '2,826.25 EUR'],
  ['zh-Hans', '发票', '2026年3月2日', '2,826.25 EUR'],
  ['ar', 'فاتورة', '٢ مارس ٢٠٢٦', '٢٬٨٢٦٫٢٥ EUR'],
];

describe('document languages', () => {
  it.each(cases)('%s: title, date and amount as the PDF prints them', async (tag, title, date, amount) => {
    const language = await loadLanguage(tag);
    expect(language.get('invoice.title')).toBe(title);
    expect(language.date('2026-03-02')).toBe(date);
    expect(language.money(2826.25, 'EUR')).toBe(amount);
  });

  it('lists every language the server supports, Arabic right to left, JPY without decimals', async () => {
    expect(LANGUAGES.map((l) => l.tag)).toEqual(cases.map((c) => c[0]));
    expect((await loadLanguage('ar')).rightToLeft).toBe(true);
    expect((await loadLanguage('ja')).money(1234, 'JPY')).toBe('1,234 JPY');
  });
});
