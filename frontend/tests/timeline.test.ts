// The invoice page's history: every event in time order, e-mails titled by what they were, the planned reminder last.
import { describe, expect, it } from 'vitest';
import type { Delivery, Invoice } from '../src/api/types';
import { emailTitle, invoiceTimeline } from '../src/invoices/timeline';

const delivery = (over: Partial<Delivery>): Delivery => ({
  requestId: 'dlv_1',
  to: ['a@example.com'],
  requestedAt: '2026-12-01T09:00:00Z',
  status: 'Sent',
  sentAt: '2026-12-01T09:00:02Z',
  ...over,
});

const invoice = (over: Partial<Invoice>): Invoice =>
  ({
    id: 'inv_1',
    number: 'INV-000001',
    status: 'Open',
    overdue: false,
    daysOverdue: 0,
    customerId: 'cus_1',
    customer: { name: 'Müller' },
    currency: 'EUR',
    issueDate: '2026-12-01',
    dueDate: '2026-12-15',
    lines: [],
    discount: { kind: 'Percent', value: 0 },
    totals: { subtotal: 100, discount: 0, taxes: [], tax: 0, total: 100, amountPaid: 0, balanceDue: 100 },
    payments: [],
    version: 2,
    createdAt: '2026-12-01T08:00:00Z',
    updatedAt: '2026-12-01T09:00:00Z',
    finalizedAt: '2026-12-01T09:00:00Z',
    ...over,
  }) as Invoice;

describe('invoiceTimeline', () => {
  it('orders events by time, keeps the order of simultaneous ones, and puts the planned reminder last', () => {
    const events = invoiceTimeline(
      invoice({
        deliveries: [
          delivery({ requestId: 'rem_2', kind: 'Reminder', reminderLabel: 'on the due date', requestedAt: '2026-12-15T08:00:00Z', sentAt: '2026-12-15T08:00:03Z' }),
          delivery({ requestId: 'dlv_1', requestedAt: '2026-12-01T09:00:00Z', status: 'Pending', sentAt: undefined }),
        ],
        payments: [{ id: 'pay_1', amount: 40, date: '2026-12-10', method: 'Cash', recordedAt: '2026-12-10T12:00:00Z' }],
        nextReminder: { date: '2026-12-22', label: '7 days after the due date' },
      }),
    );
    expect(events.map((e) => e.kind)).toEqual(['created', 'finalized', 'email', 'payment', 'email', 'planned']);
    // A pending e-mail is placed when it was asked for; a sent one when it was accepted.
    expect(events[2].at).toBe('2026-12-01T09:00:00Z');
    expect(events[4].at).toBe('2026-12-15T08:00:03Z');
  });

  it('shows a voided invoice and no finalization for a draft', () => {
    expect(invoiceTimeline(invoice({ status: 'Draft', number: undefined, finalizedAt: undefined })).map((e) => e.kind)).toEqual(['created']);
    const voided = invoiceTimeline(invoice({ status: 'Void', voidedAt: '2026-12-02T10:00:00Z', voidReason: 'Wrong customer' }));
    expect(voided.at(-1)).toMatchObject({ kind: 'voided', reason: 'Wrong customer' });
  });
});

describe('emailTitle', () => {
  it('tells the invoice, a planned reminder and one sent by hand apart', () => {
    expect(emailTitle(delivery({}))).toBe('Invoice e-mailed');
    expect(emailTitle(delivery({ kind: 'Reminder', reminderLabel: '3 days before the due date' }))).toBe('Reminder: 3 days before the due date');
    expect(emailTitle(delivery({ kind: 'Reminder' }))).toBe('Reminder sent by hand');
  });
});
