import { describe, expect, it } from 'vitest';
import type { ActivityEntry } from '../src/api/types';
import { changeText, entryText, historyItems } from '../src/activity/activity';

const entry = (kind: ActivityEntry['kind'], at: string, details: Record<string, string> = {}, extra: Partial<ActivityEntry> = {}): ActivityEntry => ({
  id: `act_${kind}_${at}`, entityType: 'Invoice', entityId: 'inv_1', kind, at, details, ...extra,
});

describe('historyItems', () => {
  it('folds each recipient outcome into its e-mail, keeping everything else in order', () => {
    const items = historyItems([
      entry('paid', '2026-12-07T10:00:00Z'),
      entry('deliveryFailed', '2026-12-05T10:05:00Z', { deliveryId: 'dlv_1', recipient: 'old@x.example', reason: '550 user unknown' }),
      entry('delivered', '2026-12-05T10:04:00Z', { deliveryId: 'dlv_1', recipient: 'billing@x.example' }),
      entry('sent', '2026-12-05T10:03:00Z', { deliveryId: 'dlv_1', to: 'billing@x.example, old@x.example' }),
      entry('finalized', '2026-12-05T10:02:00Z', { number: 'INV-000006' }),
    ]);
    expect(items.map((i) => i.entry.kind)).toEqual(['paid', 'sent', 'finalized']);
    const email = items[1];
    expect(email.type).toBe('email');
    if (email.type !== 'email') return;
    expect(email.status).toBe('PartlySent');
    expect(email.recipients.map((r) => [r.address, r.status])).toEqual([['billing@x.example', 'Delivered'], ['old@x.example', 'Refused']]);
  });

  it('puts what came later first among entries of the same moment', () => {
    const at = '2026-12-05T10:02:00.000Z';
    const items = historyItems([entry('sent', at, { deliveryId: 'dlv_1' }), entry('finalized', at), entry('created', '2026-12-05T10:00:00.000Z')]);
    expect(items.map((i) => i.entry.kind)).toEqual(['sent', 'finalized', 'created']);
    const reversed = historyItems([entry('finalized', at), entry('sent', at, { deliveryId: 'dlv_1' })]);
    expect(reversed.map((i) => i.entry.kind)).toEqual(['sent', 'finalized']);
  });

  it('keeps an outcome whose e-mail is on a page not loaded yet as an entry of its own', () => {
    const items = historyItems([entry('delivered', '2026-12-05T10:04:00Z', { deliveryId: 'dlv_9', recipient: 'a@x.example' })]);
    expect(items).toHaveLength(1);
    expect(entryText(items[0].entry).title).toBe('Delivered to a@x.example');
  });

  it('marks reminders and an e-mail without outcomes yet as queued', () => {
    const [item] = historyItems([entry('reminderSent', '2026-12-05T10:03:00Z', { deliveryId: 'dlv_2', to: 'a@x.example', reminder: 'on the due date' })]);
    expect(item.type === 'email' && item.reminder && item.status).toBe('Pending');
    expect(entryText(item.entry).title).toBe('Reminder: on the due date');
    expect(entryText(entry('reminderSent', '2026-12-05T10:03:00Z', { deliveryId: 'dlv_3' })).title).toBe('Reminder sent by hand');
    expect(entryText(entry('sent', '2026-12-05T10:03:00Z', { deliveryId: 'dlv_4' })).title).toBe('Invoice e-mailed');
  });
});

describe('entryText and changeText', () => {
  it('says what happened in words', () => {
    expect(entryText(entry('created', '2026-12-05T10:00:00Z')).title).toBe('Created as a draft');
    expect(entryText(entry('created', '2026-12-05T10:00:00Z', {}, { entityType: 'Customer' })).title).toBe('Customer created');
    expect(entryText(entry('finalized', '2026-12-05T10:00:00Z', { number: 'INV-000006' })).title).toBe('Finalized as INV-000006');
    expect(entryText(entry('voided', '2026-12-05T10:00:00Z', { reason: 'Issued twice' }))).toEqual({ title: 'Voided', detail: 'Issued twice' });
    expect(entryText(entry('sent', '2026-12-05T10:00:00Z', { deliveryId: 'd', subject: 'Invoice INV-000006' })).detail).toBe('“Invoice INV-000006”');
  });

  it('shows an edit with before and after, a missing value as a dash', () => {
    expect(changeText({ field: 'lines', before: '2', after: '3' })).toBe('Lines: 2 → 3');
    expect(changeText({ field: 'phone', after: '+49 30 1234567' })).toBe('Phone: — → +49 30 1234567');
    expect(changeText({ field: 'total', before: '904.4', after: '1190.00' }, 'EUR')).toMatch(/^Total: €904\.40 → €1,190\.00$/);
  });
});
