import { describe, expect, it } from 'vitest';
import { normalizeCode } from '../src/settings/EmailVerificationCard';
import { keepSending } from '../src/settings/keepSending';
import type { Settings, Versioned } from '../src/api/types';

describe('normalizeCode', () => {
  it('takes six digits as typed or copied', () => {
    expect(normalizeCode('482913')).toBe('482913');
    expect(normalizeCode(' 482 913 ')).toBe('482913');
    expect(normalizeCode('482-913')).toBe('482913');
  });

  it('refuses anything else', () => {
    for (const typed of ['', '48291', '4829134', '48291a', '４８２９１３']) expect(normalizeCode(typed)).toBeNull();
  });
});

describe('keepSending', () => {
  const base = { businessName: 'Atelier', defaultCurrency: 'EUR', paymentTermsDays: 14, numberPrefix: 'INV-', nextNumber: 1, nextInvoiceNumber: 'INV-000001', language: 'en', version: 2 } as Settings;
  const sending = { dailyLimit: 50, usedToday: 3, established: false, resetsAt: '2026-12-05T00:00:00+00:00' };

  it('keeps the figures GET showed when a PUT answers without them', () => {
    const saved: Versioned<Settings> = { data: base, etag: '"2"' };
    const shown: Versioned<Settings> = { data: { ...base, version: 1, sending }, etag: '"1"' };
    expect(keepSending(saved, shown)).toEqual({ data: { ...base, sending }, etag: '"2"' });
  });

  it('takes the answer as it is when it has figures or nothing was shown', () => {
    const saved: Versioned<Settings> = { data: { ...base, sending: { ...sending, usedToday: 4 } }, etag: '"2"' };
    expect(keepSending(saved, { data: { ...base, sending }, etag: '"1"' })).toBe(saved);
    expect(keepSending({ data: base, etag: '"2"' }, undefined)).toEqual({ data: base, etag: '"2"' });
  });
});
