// An invoice's or a customer's history as the change feed records it (GET …/activity, newest first), made into what
// the page shows: each e-mail once, with what became of each recipient (its "delivered" and "deliveryFailed" entries
// folded into it), and every other entry in words.
import type { ActivityEntry } from '../api/types';
import { formatDate, formatMoney } from '../format/format';
import { methodLabel } from '../invoices/timeline';

export interface RecipientOutcome {
  address: string;
  status: 'Delivered' | 'Refused';
  at: string;
  reason?: string;
}

export type HistoryItem =
  | { type: 'email'; entry: ActivityEntry; reminder: boolean; status: 'Pending' | 'Sent' | 'PartlySent' | 'Failed'; recipients: RecipientOutcome[] }
  | { type: 'entry'; entry: ActivityEntry };

/** Of entries at the same millisecond (a draft sent at once is finalized and e-mailed together), which came later. */
const kindOrder: Record<string, number> = {
  created: 0, edited: 1, finalized: 2, sent: 3, reminderSent: 3, viewed: 4, delivered: 5, deliveryFailed: 5,
  paymentRecorded: 6, paid: 7, credited: 8, voided: 9, deleted: 10,
};

/** Newest first, as the API lists them; an e-mail's outcomes go with the e-mail when both are on the pages loaded. */
export function historyItems(listed: ActivityEntry[]): HistoryItem[] {
  const entries = listed
    .map((entry, i) => ({ entry, i }))
    .sort((a, b) => Date.parse(b.entry.at) - Date.parse(a.entry.at) || (kindOrder[b.entry.kind] ?? 0) - (kindOrder[a.entry.kind] ?? 0) || a.i - b.i)
    .map((x) => x.entry);
  const emails = new Map<string, Extract<HistoryItem, { type: 'email' }>>();
  for (const entry of entries) {
    if ((entry.kind === 'sent' || entry.kind === 'reminderSent') && entry.details.deliveryId) {
      emails.set(entry.details.deliveryId, { type: 'email', entry, reminder: entry.kind === 'reminderSent', status: 'Pending', recipients: [] });
    }
  }
  const items: HistoryItem[] = [];
  for (const entry of entries) {
    const email = entry.details.deliveryId ? emails.get(entry.details.deliveryId) : undefined;
    if ((entry.kind === 'delivered' || entry.kind === 'deliveryFailed') && email && entry.details.recipient) {
      // Newest first: the first outcome seen for an address is its latest.
      if (!email.recipients.some((r) => r.address === entry.details.recipient)) {
        email.recipients.push({
          address: entry.details.recipient,
          status: entry.kind === 'delivered' ? 'Delivered' : 'Refused',
          at: entry.at,
          reason: entry.details.reason,
        });
      }
      continue;
    }
    items.push(email && email.entry === entry ? email : { type: 'entry', entry });
  }
  for (const email of emails.values()) {
    const delivered = email.recipients.filter((r) => r.status === 'Delivered').length;
    const refused = email.recipients.length - delivered;
    email.status = delivered > 0 && refused > 0 ? 'PartlySent' : delivered > 0 ? 'Sent' : refused > 0 ? 'Failed' : 'Pending';
    email.recipients.reverse(); // in the order they happened
  }
  return items;
}

/** "Invoice e-mailed", "Reminder: 7 days after the due date", "Reminder sent by hand". */
export function emailTitle(entry: ActivityEntry): string {
  if (entry.kind !== 'reminderSent') return 'Invoice e-mailed';
  return entry.details.reminder ? `Reminder: ${entry.details.reminder}` : 'Reminder sent by hand';
}

const fieldLabels: Record<string, string> = {
  customer: 'Customer', currency: 'Currency', issueDate: 'Issue date', dueDate: 'Due date', paymentTermsDays: 'Payment terms (days)',
  discountKind: 'Discount kind', discountValue: 'Discount', notes: 'Notes', total: 'Total', lines: 'Lines',
  name: 'Name', email: 'E-mail address', phone: 'Phone', taxId: 'Tax id', language: 'Language', remindersOff: 'Reminders off', address: 'Address',
};

/** "Due date: 1 Dec 2026 → 15 Dec 2026", "Lines: 2 → 3", "Phone: — → +49 30 1234567". */
export function changeText(change: { field: string; before?: string; after?: string }, currency?: string): string {
  const amount = change.field === 'total' && currency;
  const show = (value?: string) =>
    value === undefined || value === '' ? '—'
    : amount ? formatMoney(Number(value), currency)
    : /^\d{4}-\d{2}-\d{2}$/.test(value) ? formatDate(value)
    : value;
  return `${fieldLabels[change.field] ?? change.field}: ${show(change.before)} → ${show(change.after)}`;
}

const money = (amount: string | undefined, currency: string | undefined) =>
  amount !== undefined && currency ? formatMoney(Number(amount), currency) : amount ?? '';

/** An entry in words: its title, and a line of detail when there is one. */
export function entryText(entry: ActivityEntry): { title: string; detail?: string } {
  const d = entry.details;
  const customer = entry.entityType === 'Customer';
  switch (entry.kind) {
    case 'created':
      return customer ? { title: 'Customer created' } : { title: 'Created as a draft' };
    case 'edited':
      return { title: customer ? 'Details changed' : 'Edited' };
    case 'finalized':
      return { title: d.number ? `Finalized as ${d.number}` : 'Finalized', detail: d.dueDate ? `Due ${formatDate(d.dueDate)}` : undefined };
    case 'sent':
    case 'reminderSent':
      return { title: emailTitle(entry), detail: d.subject ? `“${d.subject}”` : undefined };
    case 'delivered':
      return { title: `Delivered to ${d.recipient ?? 'the customer'}` };
    case 'deliveryFailed':
      return { title: `Not delivered to ${d.recipient ?? 'the customer'}`, detail: d.reason };
    case 'paymentRecorded':
      return { title: `Payment of ${money(d.amount, d.currency)} (${methodLabel(d.method ?? '')}${d.date ? `, ${formatDate(d.date)}` : ''})`, detail: d.note };
    case 'paid':
      return { title: 'Paid in full' };
    case 'credited':
      return { title: `Credit note ${d.number ?? ''} of ${money(d.total, d.currency)}`.replace('  ', ' '), detail: d.reason };
    case 'voided':
      return { title: 'Voided', detail: d.reason };
    case 'viewed':
      return { title: 'Viewed by the customer' };
    case 'deleted':
      return { title: 'Customer deleted' };
    default:
      return { title: entry.kind };
  }
}
