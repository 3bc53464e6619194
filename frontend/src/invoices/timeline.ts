// An invoice's history as one timeline, oldest first: created, finalized, each e-mail (the invoice, reminders) with
// what became of it, payments, voided, and the reminder the plan sends next. Built from the invoice the API returns.
import type { Delivery, Invoice } from '../api/types';

export type TimelineEvent =
  | { kind: 'created'; at: string }
  | { kind: 'finalized'; at: string; number?: string }
  | { kind: 'email'; at: string; delivery: Delivery }
  | { kind: 'payment'; at: string; amount: number; method: string; date: string }
  | { kind: 'voided'; at: string; reason?: string }
  | { kind: 'planned'; at: string; label: string };

/** When an e-mail happened: its last acceptance once sent, else when it was asked for. */
const emailTime = (d: Delivery) => ((d.status === 'Sent' || d.status === 'PartlySent') && d.sentAt ? d.sentAt : d.requestedAt);

export function invoiceTimeline(invoice: Invoice): TimelineEvent[] {
  const events: TimelineEvent[] = [{ kind: 'created', at: invoice.createdAt }];
  if (invoice.finalizedAt) events.push({ kind: 'finalized', at: invoice.finalizedAt, number: invoice.number });
  for (const d of invoice.deliveries ?? []) events.push({ kind: 'email', at: emailTime(d), delivery: d });
  for (const p of invoice.payments) events.push({ kind: 'payment', at: p.recordedAt, amount: p.amount, method: p.method, date: p.date });
  if (invoice.voidedAt) events.push({ kind: 'voided', at: invoice.voidedAt, reason: invoice.voidReason });
  // A stable sort: events at the same instant keep the order above (created before finalized before its e-mail).
  const past = events.map((e, i) => ({ e, i })).sort((a, b) => a.e.at.localeCompare(b.e.at) || a.i - b.i).map((x) => x.e);
  if (invoice.nextReminder) past.push({ kind: 'planned', at: invoice.nextReminder.date, label: invoice.nextReminder.label });
  return past;
}

/** "Invoice e-mailed", "Reminder: 7 days after the due date", "Reminder sent by hand". */
export function emailTitle(d: Delivery): string {
  if (d.kind !== 'Reminder') return 'Invoice e-mailed';
  return d.reminderLabel ? `Reminder: ${d.reminderLabel}` : 'Reminder sent by hand';
}

export function methodLabel(method: string): string {
  return ({ BankTransfer: 'Bank transfer', Card: 'Card', Cash: 'Cash', Check: 'Check', Other: 'Other' } as Record<string, string>)[method] ?? method;
}
