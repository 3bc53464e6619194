import { describe, expect, it } from 'vitest';
import type { RecurringProfile } from '../src/api/types';
import { emptyRecurringForm, formFromProfile, previewRuns, recurringField, recurringProblems, scheduleFromForm, toRecurringInput, type RecurringForm } from '../src/recurring/recurringForm';

const filled = (extra: Partial<RecurringForm> = {}): RecurringForm => ({
  ...emptyRecurringForm(undefined, '2027-01-31', 'cus_1'),
  name: 'Monthly retainer',
  lines: [{ description: 'Retainer', quantity: '1', unitPrice: '500', discountPercent: '', taxRatePercent: '19' }],
  ...extra,
});

const profile = (extra: Partial<RecurringProfile> = {}): RecurringProfile => ({
  id: 'prf_1',
  name: 'Monthly retainer',
  status: 'Active',
  action: 'FinalizeAndSend',
  invoice: {
    customerId: 'cus_1', currency: 'EUR', paymentTermsDays: 14, discount: { kind: 'Percent', value: 5 }, notes: 'Thanks',
    lines: [{ description: 'Retainer', quantity: 1, unitPrice: 500, discountPercent: 0, taxRatePercent: 19, amount: 500 }], total: 565.25,
  },
  schedule: { unit: 'Month', interval: 1, startDate: '2027-01-31', lastDayOfMonth: true, end: { kind: 'AfterCount', count: 3 } },
  nextRunDate: '2027-03-31',
  nextRuns: ['2027-03-31'],
  invoicesMade: 2,
  runs: [
    { period: '2027-01-31', skipped: false, invoiceId: 'inv_1', number: 'INV-000001', status: 'Open' },
    { period: '2027-02-28', skipped: false, invoiceId: 'inv_2', number: 'INV-000002', status: 'Open' },
  ],
  version: 3,
  createdAt: '2027-01-31T09:00:00Z',
  updatedAt: '2027-02-28T01:00:00Z',
  ...extra,
});

describe('the recurring form', () => {
  it('sends the invoice without dates, the terms, the schedule and the action', () => {
    expect(toRecurringInput(filled({ dayMode: 'last', endKind: 'AfterCount', endCount: '12', action: 'FinalizeAndSend' }))).toEqual({
      name: 'Monthly retainer',
      invoice: {
        customerId: 'cus_1', currency: 'EUR', paymentTermsDays: 14, notes: undefined, discount: { kind: 'Percent', value: 0 },
        lines: [{ description: 'Retainer', quantity: 1, unitPrice: 500, discountPercent: 0, taxRatePercent: 19 }],
      },
      schedule: { unit: 'Month', interval: 1, startDate: '2027-01-31', lastDayOfMonth: true, end: { kind: 'AfterCount', count: 12 } },
      action: 'FinalizeAndSend',
    });
  });

  it('sends no day of the month for weeks, and the start date’s day when the day is empty', () => {
    expect(scheduleFromForm(filled({ unit: 'Week', dayMode: 'last', dayOfMonth: '5' }))).toEqual({ unit: 'Week', interval: 1, startDate: '2027-01-31', end: { kind: 'Never' } });
    expect(scheduleFromForm(filled({ dayOfMonth: '' }))?.dayOfMonth).toBeUndefined();
    expect(scheduleFromForm(filled({ dayOfMonth: '15' }))?.dayOfMonth).toBe(15);
  });

  it('reads a saved profile back into the same input', () => {
    const input = toRecurringInput(formFromProfile(profile()));
    expect(input.schedule).toEqual(profile().schedule);
    expect(input.invoice.discount).toEqual({ kind: 'Percent', value: 5 });
    expect(input.invoice.notes).toBe('Thanks');
    expect(input.action).toBe('FinalizeAndSend');
  });

  it.each([
    [{ interval: '0' }, 'interval'],
    [{ interval: '100' }, 'interval'],
    [{ interval: '1.5' }, 'interval'],
    [{ startDate: '' }, 'startDate'],
    [{ dayOfMonth: '32' }, 'dayOfMonth'],
    [{ endKind: 'AfterCount' as const, endCount: '' }, 'endCount'],
    [{ endKind: 'AfterCount' as const, endCount: '1001' }, 'endCount'],
    [{ endKind: 'OnDate' as const, endDate: '' }, 'endDate'],
    [{ endKind: 'OnDate' as const, endDate: '2027-01-30' }, 'endDate'],
    [{ paymentTermsDays: 'two weeks' }, 'paymentTermsDays'],
    [{ customerId: '' }, 'customerId'],
  ])('%o is a problem at %s', (change, field) => {
    expect(recurringProblems(filled(change)).map((p) => p.field)).toEqual([field]);
    expect(scheduleFromForm(filled(change)) === null).toBe(['interval', 'startDate', 'dayOfMonth', 'endCount', 'endDate'].includes(field));
  });

  it('finds nothing to fix in a complete form', () => {
    expect(recurringProblems(filled())).toEqual([]);
    expect(recurringProblems(filled({ unit: 'Week', dayOfMonth: 'not used for weeks' }))).toEqual([]);
  });

  it.each([
    ['invoice.lines.0.unitPrice', 'lines.0.unitPrice'],
    ['invoice.customerId', 'customerId'],
    ['invoice.discount.value', 'discountValue'],
    ['invoice.paymentTermsDays', 'paymentTermsDays'],
    ['schedule.end.count', 'endCount'],
    ['schedule.dayOfMonth', 'dayOfMonth'],
    ['name', 'name'],
    ['invoice.issueDate', null],
  ])('puts the API’s %s at %s', (path, field) => {
    expect(recurringField(path)).toBe(field);
  });
});

describe('previewRuns', () => {
  it('calculates a new profile’s dates from today', () => {
    const schedule = scheduleFromForm(filled({ startDate: '2027-01-15' }));
    expect(previewRuns(schedule, '2027-03-20')).toEqual({ dates: ['2027-04-15', '2027-05-15', '2027-06-15', '2027-07-15', '2027-08-15', '2027-09-15'], source: 'calculated' });
  });

  it('waits for a complete schedule', () => {
    expect(previewRuns(scheduleFromForm(filled({ interval: '' })), '2027-03-20')).toBeNull();
  });

  it('shows the server’s next runs while the saved schedule is unchanged', () => {
    const saved = profile({ status: 'Paused', nextRuns: [] });
    expect(previewRuns(scheduleFromForm(formFromProfile(saved)), '2027-03-01', saved)).toEqual({ dates: [], source: 'saved' });
  });

  it('restarts a changed schedule after the last period run, with the invoices left', () => {
    const saved = profile();
    const changed = scheduleFromForm({ ...formFromProfile(saved), dayMode: 'day', dayOfMonth: '10', endCount: '4' });
    // Two of four made: two left, from the day after 28 February (and not before today, 1 March).
    expect(previewRuns(changed, '2027-03-01', saved)).toEqual({ dates: ['2027-03-10', '2027-04-10'], source: 'calculated' });
  });
});
