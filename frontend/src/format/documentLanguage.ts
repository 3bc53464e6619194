// The languages invoices are written in, and how their PDFs and e-mails read: the same files the server renders from
// (functions/SmallPay.Functions/Documents/Localization/{tag}.json), formatted the same way as DocumentLanguage.cs, so the
// preview shows exactly what the customer will get. Each language's file loads on first use.
import { minorDigits, isCurrency } from '../money/currencies';

export type LanguageTag = 'en' | 'de' | 'fr' | 'es' | 'it' | 'pt' | 'nl' | 'pl' | 'ja' | 'zh-Hans' | 'ar';

/** The supported languages (the API refuses any other tag), by their own names. */
export const LANGUAGES: { tag: LanguageTag; name: string; english: string }[] = [
  { tag: 'en', name: 'English', english: 'English' },
  { tag: 'de', name: 'Deutsch', english: 'German' },
  { tag: 'fr', name: 'Français', english: 'French' },
  { tag: 'es', name: 'Español', english: 'Spanish' },
  { tag: 'it', name: 'Italiano', english: 'Italian' },
  { tag: 'pt', name: 'Português', english: 'Portuguese' },
  { tag: 'nl', name: 'Nederlands', english: 'Dutch' },
  { tag: 'pl', name: 'Polski', english: 'Polish' },
  { tag: 'ja', name: '日本語', english: 'Japanese' },
  { tag: 'zh-Hans', name: '简体中文', english: 'Chinese (Simplified)' },
  { tag: 'ar', name: 'العربية', english: 'Arabic' },
];

export function languageLabel(tag: string): string {
  const language = LANGUAGES.find((l) => l.tag === tag);
  return language ? (language.name === language.english ? language.name : `${language.name} (${language.english})`) : tag;
}

const files = import.meta.glob<Record<string, string>>('../../../functions/SmallPay.Functions/Documents/Localization/*.json', { import: 'default' });

export async function loadLanguage(tag: string): Promise<DocumentLanguage> {
  const load = files[`../../../functions/SmallPay.Functions/Documents/Localization/${tag}.json`];
  if (!load) throw new Error(`No language file for ${tag}`);
  const english = tag === 'en' ? undefined : await loadLanguage('en');
  return new DocumentLanguage(tag, await load(), english);
}

export class DocumentLanguage {
  constructor(
    readonly tag: string,
    private readonly texts: Record<string, string>,
    private readonly fallback?: DocumentLanguage,
  ) {}

  get rightToLeft(): boolean {
    return this.get('direction') === 'rtl';
  }

  get(key: string): string {
    const text = this.texts[key] ?? this.fallback?.get(key);
    if (text === undefined) throw new Error(`No text ${key}`);
    return text;
  }

  /** The text with its {placeholders} filled in. */
  text(key: string, values: Record<string, string> = {}): string {
    return Object.entries(values).reduce((text, [name, value]) => text.split(`{${name}}`).join(value), this.get(key));
  }

  /** A yyyy-MM-dd date as the invoice prints it. */
  date(iso: string): string {
    const [year, month, day] = iso.split('-').map(Number);
    const months = this.get('format.months').split('|');
    return this.text('format.date', {
      dd: this.digits(String(day).padStart(2, '0')),
      d: this.digits(String(day)),
      MMMM: months[month - 1],
      MMM: months[month - 1],
      MM: this.digits(String(month).padStart(2, '0')),
      M: this.digits(String(month)),
      yyyy: this.digits(String(year).padStart(4, '0')),
    });
  }

  /** An amount with exactly the currency's minor digits and its code, as the invoice prints it. */
  money(amount: number, currency: string): string {
    const digits = isCurrency(currency) ? minorDigits(currency) : 2;
    const invariant = new Intl.NumberFormat('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits, useGrouping: true }).format(amount);
    return this.text('format.money', { amount: this.localize(invariant), currency });
  }

  private localize(invariant: string): string {
    const digits = this.get('format.digits');
    const decimal = this.get('format.decimal');
    const group = this.get('format.group');
    return [...invariant].map((c) => (c === '.' ? decimal : c === ',' ? group : c >= '0' && c <= '9' ? digits[Number(c)] : c)).join('');
  }

  private digits(invariant: string): string {
    return this.localize(invariant);
  }
}
