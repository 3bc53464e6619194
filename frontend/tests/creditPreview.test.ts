import { describe, expect, it } from 'vitest';
import type { Invoice } from '../src/api/types';
import { creditable, previewCredit } from '../src/creditNotes/creditPreview';

function invoice(partial: Partial<Invoice>): Invoice {
  return {
    id: 'inv_1', status: 'Open', overdue: false, daysOverdue: 0, customerId: 'cus_1', customer: { name: 'A' }, currency: 'EUR',
    issueDate: '2026-11-02', dueDate: '2026-11-16', lines: [], discount: { kind: 'Percent', value: 0 },
    totals: { subtotal: 0, discount: 0, taxes: [], tax: 0, total: 0, amountPaid: 0, balanceDue: 0 }, payments: [], version: 2,
    createdAt: '', updatedAt: '', ...partial,
  } as Invoice;
}

describe('credit note preview', () => {
  it('credits chosen quantities at the invoice prices and tax (the server cases: USD 8.25%, KWD 3 digits)', () => {
    const usd = invoice({ currency: 'USD', lines: [{ description: 'W', quantity: 2, unitPrice: 19.99, discountPercent: 0, taxRatePercent: 8.25, amount: 39.98 }] });
    expect(previewCredit(usd, 'lines', { 0: '1' }, '')?.toString()).toBe('21.64');
    const kwd = invoice({ currency: 'KWD', lines: [{ description: 'W', quantity: 4, unitPrice: 1.255, discountPercent: 0, taxRatePercent: 5, amount: 5.02 }] });
    expect(previewCredit(kwd, 'lines', { 0: '2' }, '')?.toString()).toBe('2.636');
  });

  it('shares a fixed invoice discount in proportion, so crediting every line credits the whole total', () => {
    const inv = invoice({
      lines: [{ description: 'W', quantity: 1, unitPrice: 100, discountPercent: 0, taxRatePercent: 0, amount: 100 }],
      discount: { kind: 'Amount', value: 10 },
      totals: { subtotal: 100, discount: 10, taxes: [], tax: 0, total: 90, amountPaid: 0, balanceDue: 90 },
    });
    expect(previewCredit(inv, 'lines', { 0: '1' }, '')?.toString()).toBe('90');
  });

  it('takes an amount as entered, and nothing for no valid choice', () => {
    const inv = invoice({ totals: { subtotal: 100, discount: 0, taxes: [], tax: 0, total: 100, amountPaid: 0, balanceDue: 100 }, creditedTotal: 30 });
    expect(previewCredit(inv, 'amount', {}, '25.50')?.toString()).toBe('25.5');
    expect(previewCredit(inv, 'amount', {}, 'abc')).toBeNull();
    expect(previewCredit(inv, 'lines', { 0: '0' }, '')).toBeNull();
    expect(creditable(inv).toString()).toBe('70');
  });
});
