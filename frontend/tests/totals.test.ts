// Every case of tests/cases/invoice-totals.json, the file the server's domain tests run too: the SPA's live
// totals and the server's can't drift apart without one of the two suites failing.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { calculateTotals, dec, roundMoney } from '../src/money/totals';
import { currencyCodes, minorDigits } from '../src/money/currencies';

interface TotalsCase {
  name: string;
  currency: string;
  lines: { quantity: string; unitPrice: string; discountPercent: string; taxRatePercent: string }[];
  discount: { kind: 'Percent' | 'Amount'; value: string };
  amountPaid: string;
  expected: {
    lineAmounts: string[];
    subtotal: string;
    discount: string;
    taxes: { ratePercent: string; taxable: string; tax: string }[];
    tax: string;
    total: string;
    amountPaid: string;
    balanceDue: string;
  };
}

const casesPath = fileURLToPath(new URL('../../tests/cases/invoice-totals.json', import.meta.url));
const cases: TotalsCase[] = JSON.parse(readFileSync(casesPath, 'utf8'));

const asStrings = (values: { toString(): string }[]) => values.map((v) => dec(v.toString()).toString());
const norm = (value: string) => dec(value).toString();

describe('invoice totals (tests/cases/invoice-totals.json)', () => {
  it('has the shared cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(30);
  });

  it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const totals = calculateTotals(c.currency, c.lines, c.discount, c.amountPaid);
    const e = c.expected;
    expect(asStrings(totals.lineAmounts)).toEqual(e.lineAmounts.map(norm));
    expect(totals.subtotal.toString()).toBe(norm(e.subtotal));
    expect(totals.discount.toString()).toBe(norm(e.discount));
    expect(totals.taxes.map((t) => [t.ratePercent.toString(), t.taxable.toString(), t.tax.toString()])).toEqual(
      e.taxes.map((t) => [norm(t.ratePercent), norm(t.taxable), norm(t.tax)]),
    );
    expect(totals.tax.toString()).toBe(norm(e.tax));
    expect(totals.total.toString()).toBe(norm(e.total));
    expect(totals.amountPaid.toString()).toBe(norm(e.amountPaid));
    expect(totals.balanceDue.toString()).toBe(norm(e.balanceDue));
  });
});

describe('the parts of the calculation', () => {
  it('rounds half away from zero to the currency', () => {
    expect(roundMoney(dec('0.125'), 'EUR').toString()).toBe('0.13');
    expect(roundMoney(dec('-0.125'), 'EUR').toString()).toBe('-0.13');
    expect(roundMoney(dec('0.5'), 'JPY').toString()).toBe('1');
    expect(roundMoney(dec('1.0005'), 'KWD').toString()).toBe('1.001');
  });

  it('shares a discount the way .NET decimal does, the ratio rounded to 28 places', () => {
    // Exactly, 3000.03 × 5/6 = 2500.025 would round to 2500.03. The server's decimal holds 5/6 as 0.833…3 (28 places),
    // so its share is just under 2500.025 and rounds to 2500.02 (checked against InvoiceCalculator).
    const totals = calculateTotals('EUR', [
      { quantity: '1', unitPrice: '5000', taxRatePercent: '0' },
      { quantity: '1', unitPrice: '1000', taxRatePercent: '10' },
    ], { kind: 'Amount', value: '3000.03' });
    expect(totals.taxes.map((t) => [t.taxable.toString(), t.tax.toString()])).toEqual([['2499.98', '0'], ['499.99', '50']]);
    expect(totals.total.toString()).toBe('3049.97');
  });

  it('knows the minor digits of the server currency table', () => {
    expect(minorDigits('EUR')).toBe(2);
    expect(minorDigits('JPY')).toBe(0);
    expect(minorDigits('KWD')).toBe(3);
    expect(() => minorDigits('XYZ')).toThrow();
  });

  it('lists the same currencies as functions/SmallPay.Domain/Money/Currencies.cs', () => {
    const source = readFileSync(fileURLToPath(new URL('../../functions/SmallPay.Domain/Money/Currencies.cs', import.meta.url)), 'utf8');
    const table = new Map<string, number>();
    for (const [constant, digits] of [['ZeroDigits', 0], ['TwoDigits', 2], ['ThreeDigits', 3]] as const) {
      const match = new RegExp(`${constant}\\s*=([^;]+);`).exec(source);
      expect(match, constant).not.toBeNull();
      for (const code of match![1].match(/\b[A-Z]{3}\b/g)!) table.set(code, digits);
    }
    expect([...table.keys()].sort()).toEqual(currencyCodes);
    for (const [code, digits] of table) expect(minorDigits(code), code).toBe(digits);
  });
});
