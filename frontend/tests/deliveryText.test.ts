import { describe, expect, it } from 'vitest';
import type { Delivery } from '../src/api/types';
import { deliverySettled, deliveryStatusText, recipientsOf, recipientText } from '../src/invoices/deliveryText';

const plain = (s?: string) => s?.replace(/[\u00a0\u202f]/g, ' ');

const partly: Delivery = {
  requestId: 'dlv_01JE40A2B3C4D5E6F7G8H9J0K1',
  to: ['ap@mueller.example', 'nobody@customer.invalid'],
  cc: ['Boss@Mueller.example'],
  requestedAt: '2026-11-20T09:00:00Z',
  status: 'PartlySent',
  sentAt: '2026-11-20T09:00:03Z',
  failureReason: 'Refused: nobody@customer.invalid (550 5.1.1 no such user)',
  recipients: [
    { address: 'ap@mueller.example', status: 'Delivered', deliveredAt: '2026-11-20T09:00:03Z' },
    { address: 'nobody@customer.invalid', status: 'Refused', reason: '550 5.1.1 no such user' },
    { address: 'boss@mueller.example', status: 'Pending', reason: '450 4.2.1 mailbox busy' },
  ],
};

describe('delivery history', () => {
  it('says per recipient: delivered when, refused why, pending and retried', () => {
    const [delivered, refused, pending] = recipientsOf(partly).map((r) => recipientText(r, 'en-GB', 'UTC'));
    expect(delivered.label).toBe('Delivered');
    expect(plain(delivered.detail)).toBe('20 Nov 2026, 09:00');
    expect(refused).toEqual({ label: 'Refused', detail: '550 5.1.1 no such user' });
    expect(pending).toEqual({ label: 'Pending', detail: 'refused for now (450 4.2.1 mailbox busy), will be retried' });
    expect(recipientText({ address: 'x@y.example', status: 'Pending' })).toEqual({ label: 'Pending', detail: undefined });
  });

  it('marks copies and names a partly delivered e-mail', () => {
    expect(recipientsOf(partly).map((r) => r.cc)).toEqual([false, false, true]);
    expect(deliveryStatusText.PartlySent).toBe('Partly delivered');
    expect(deliverySettled(partly)).toBe(true);
    expect(deliverySettled({ ...partly, status: 'Pending' })).toBe(false);
    expect(recipientsOf({ ...partly, recipients: undefined })).toEqual([]);
  });
});
