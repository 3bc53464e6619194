import { describe, expect, it } from 'vitest';
import {
  addDays, daysBetween, formatDate, formatDateTime, formatMoney, formatMonth, formatPercent, localToday, parseDecimalInput, statusLabel,
} from '../src/format/format';

// Intl output uses narrow no-break spaces in some locales; compare with plain spaces.
const plain = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ');

describe('money', () => {
  it('formats in the locale with the currency minor digits', () => {
    expect(formatMoney(1234.5, 'EUR', 'en-US')).toBe('€1,234.50');
    expect(plain(formatMoney(1234.5, 'EUR', 'de-DE'))).toBe('1.234,50 €');
    expect(plain(formatMoney(1234.5, 'EUR', 'fr-FR'))).toBe('1 234,50 €');
    expect(formatMoney(1235, 'JPY', 'en-US')).toBe('¥1,235');
    expect(plain(formatMoney('1.5', 'KWD', 'en-US'))).toBe('KWD 1.500');
    expect(formatMoney(0, 'USD', 'en-US')).toBe('$0.00');
    expect(formatMoney(-12.3, 'USD', 'en-US')).toBe('-$12.30');
  });

  it('keeps every digit of large amounts given as strings', () => {
    expect(formatMoney('2099999999894790.01', 'USD', 'en-US')).toBe('$2,099,999,999,894,790.01');
  });

  it('uses the server table, not the browser, for minor digits', () => {
    // CLDR gives IQD 0 decimals; ISO 4217 (and the server) 3.
    expect(formatMoney('1.234', 'IQD', 'en-US')).toMatch(/1\.234$/);
  });

  it('formats rates as percentages', () => {
    expect(formatPercent(19, 'en-US')).toBe('19%');
    expect(plain(formatPercent(5.5, 'de-DE'))).toBe('5,5 %');
    expect(formatPercent('8.875', 'en-US')).toBe('8.875%');
  });
});

describe('dates', () => {
  it('formats calendar dates the same in every time zone', () => {
    expect(formatDate('2026-11-20', 'en-US')).toBe('Nov 20, 2026');
    expect(formatDate('2026-01-01', 'de-DE')).toBe('01.01.2026');
    expect(formatDate('2026-03-05', 'en-GB')).toBe('5 Mar 2026');
  });

  it('formats timestamps in the given zone and months', () => {
    expect(formatDateTime('2026-11-20T09:15:02.481+00:00', 'en-GB', 'Europe/Berlin')).toBe('20 Nov 2026, 10:15');
    expect(formatMonth('2026-11', 'en-US')).toBe('Nov 2026');
  });

  it('does date arithmetic on calendar dates', () => {
    expect(addDays('2026-12-25', 14)).toBe('2027-01-08');
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(daysBetween('2026-11-20', '2026-12-04')).toBe(14);
    expect(localToday(new Date(2026, 0, 5, 23, 30))).toBe('2026-01-05');
  });
});

describe('input and labels', () => {
  it('reads decimals typed with a point or a comma', () => {
    expect(parseDecimalInput('95,50')).toBe('95.50');
    expect(parseDecimalInput(' 95.5 ')).toBe('95.5');
    expect(parseDecimalInput('.5')).toBe('0.5');
    expect(parseDecimalInput('3.')).toBe('3');
    expect(parseDecimalInput('1.234,5')).toBeNull();
    expect(parseDecimalInput('abc')).toBeNull();
    expect(parseDecimalInput('')).toBeNull();
  });

  it('labels statuses', () => {
    expect(statusLabel('PartiallyPaid')).toBe('Partially paid');
    expect(statusLabel('Open')).toBe('Open');
  });
});
