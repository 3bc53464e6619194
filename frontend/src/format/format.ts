// Numbers, money and dates for people: the user's locale, the invoice currency's minor digits (from the same
// table the server rounds with), and calendar dates that never shift with the user's time zone.
import { minorDigits, isCurrency } from '../money/currencies';
import type { InvoiceStatus } from '../api/types';

export function userLocale(): string {
  return (typeof navigator !== 'undefined' && navigator.language) || 'en-US';
}

const cache = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat>();
function cached<T extends Intl.NumberFormat | Intl.DateTimeFormat>(key: string, make: () => T): T {
  let format = cache.get(key) as T | undefined;
  if (!format) {
    format = make();
    cache.set(key, format);
  }
  return format;
}

type Amount = number | string | { toString(): string };

/** 1234.5 EUR → "€1,234.50" (en-US), "1.234,50 €" (de-DE); JPY without decimals, KWD with three. */
export function formatMoney(amount: Amount, currency: string, locale = userLocale()): string {
  const digits = isCurrency(currency) ? minorDigits(currency) : 2;
  const format = cached(`money|${locale}|${currency}`, () =>
    new Intl.NumberFormat(locale, { style: 'currency', currency, minimumFractionDigits: digits, maximumFractionDigits: digits }),
  );
  // Strings keep every digit of large amounts (Intl formats decimal strings exactly).
  return format.format(String(amount) as unknown as number);
}

/** A compact amount for chart axes: "€12K". */
export function formatMoneyCompact(amount: number, currency: string, locale = userLocale()): string {
  return cached(`compact|${locale}|${currency}`, () =>
    new Intl.NumberFormat(locale, { style: 'currency', currency, notation: 'compact', maximumFractionDigits: 1 }),
  ).format(amount);
}

export function formatNumber(value: Amount, locale = userLocale()): string {
  return cached(`number|${locale}`, () => new Intl.NumberFormat(locale, { maximumFractionDigits: 4 })).format(String(value) as unknown as number);
}

/** A rate in percent as entered (19 → "19%", 5.5 → "5.5%" / "5,5 %"). */
export function formatPercent(ratePercent: Amount, locale = userLocale()): string {
  return cached(`percent|${locale}`, () => new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 5 })).format(
    Number(String(ratePercent)) / 100,
  );
}

function parseDate(date: string): Date {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(Date.UTC(y, (m ?? 1) - 1, d ?? 1));
}

/** A calendar date (yyyy-MM-dd) in the user's style; the same day everywhere on earth. */
export function formatDate(date: string, locale = userLocale()): string {
  return cached(`date|${locale}`, () => new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' })).format(parseDate(date));
}

/** A moment (ISO 8601 timestamp) in the user's time zone. */
export function formatDateTime(timestamp: string, locale = userLocale(), timeZone?: string): string {
  return cached(`datetime|${locale}|${timeZone ?? ''}`, () =>
    new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone }),
  ).format(new Date(timestamp));
}

/** A month (yyyy-MM) as a short label: "Nov 2026" / "Nov. 2026". */
export function formatMonth(month: string, locale = userLocale()): string {
  return cached(`month|${locale}`, () => new Intl.DateTimeFormat(locale, { month: 'short', year: 'numeric', timeZone: 'UTC' })).format(
    parseDate(`${month}-01`),
  );
}

/** Today as yyyy-MM-dd in the user's own calendar (what they expect in a date field). */
export function localToday(now = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/** yyyy-MM-dd plus a number of days. */
export function addDays(date: string, days: number): string {
  const d = parseDate(date);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** Days from one yyyy-MM-dd to another. */
export function daysBetween(from: string, to: string): number {
  return Math.round((parseDate(to).getTime() - parseDate(from).getTime()) / 86_400_000);
}

const statusLabels: Record<InvoiceStatus, string> = {
  Draft: 'Draft',
  Open: 'Open',
  PartiallyPaid: 'Partially paid',
  Paid: 'Paid',
  Void: 'Void',
};

export function statusLabel(status: InvoiceStatus): string {
  return statusLabels[status] ?? status;
}

/**
 * A decimal typed by a person, as a canonical string ("1.234,5" is not accepted; "95,50" and "95.50" are):
 * the decimal separator may be a point or a comma, no group separators. Null when it is not a number.
 */
export function parseDecimalInput(text: string): string | null {
  const trimmed = text.trim().replace(/\s/g, '');
  if (!/^-?(\d+([.,]\d*)?|[.,]\d+)$/.test(trimmed)) return null;
  let normal = trimmed.replace(',', '.');
  if (normal.startsWith('.')) normal = `0${normal}`;
  if (normal.startsWith('-.')) normal = `-0${normal.slice(1)}`;
  if (normal.endsWith('.')) normal = normal.slice(0, -1);
  return normal;
}
