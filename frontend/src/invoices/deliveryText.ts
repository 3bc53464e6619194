// Words for a delivery and its recipients, as the owner reads them in the invoice's delivery history.
import type { Delivery, DeliveryRecipient } from '../api/types';
import { formatDateTime } from '../format/format';

export const deliveryStatusText: Record<Delivery['status'], string> = {
  Pending: 'Queued',
  Sending: 'Sending',
  Sent: 'Sent',
  PartlySent: 'Partly delivered',
  Failed: 'Failed',
  Cancelled: 'Not sent',
};

/** Done: nothing more will happen to this delivery. */
export const deliverySettled = (d: Delivery) =>
  d.status === 'Sent' || d.status === 'PartlySent' || d.status === 'Failed' || d.status === 'Cancelled';

/** "Delivered 20 Nov 2026, 10:12" / "Refused: 550 5.1.1 no such user" / "Pending: refused for now (450 …), will be retried". */
export function recipientText(r: DeliveryRecipient, locale?: string, timeZone?: string): { label: string; detail?: string } {
  switch (r.status) {
    case 'Delivered':
      return { label: 'Delivered', detail: r.deliveredAt ? formatDateTime(r.deliveredAt, locale, timeZone) : undefined };
    case 'Refused':
      return { label: 'Refused', detail: r.reason };
    default:
      return { label: 'Pending', detail: r.reason ? `refused for now (${r.reason}), will be retried` : undefined };
  }
}

/** Each recipient with whether it was a copy (cc). */
export function recipientsOf(d: Delivery): (DeliveryRecipient & { cc: boolean })[] {
  const cc = new Set((d.cc ?? []).map((a) => a.toLowerCase()));
  return (d.recipients ?? []).map((r) => ({ ...r, cc: cc.has(r.address.toLowerCase()) }));
}
