// The recurring profile editor's form model (strings, as typed): the invoice's shared fields (InvoiceContentForm), the
// payment terms, the schedule and the action, and its conversions to the API's RecurringProfileInput and to the schedule
// the preview calculates.
import type { RecurrenceUnit, RecurringAction, RecurringEndKind, RecurringProfile, RecurringProfileInput, RecurringSchedule, Settings } from '../api/types';
import { firstRunFrom, upcomingRuns } from './schedule';
import { contentField, contentProblems, newLine, toContentInput, type FieldProblem, type InvoiceContentForm } from '../invoices/invoiceForm';

export const MAX_INTERVAL = 99;
export const MAX_COUNT = 1000;
export const NAME_MAX_LENGTH = 200;

export interface RecurringForm extends InvoiceContentForm {
  name: string;
  paymentTermsDays: string;
  unit: RecurrenceUnit;
  interval: string;
  startDate: string;
  /** Months, quarters and years: on a day of the month (empty: the start date's day), or on the month's last day. */
  dayMode: 'day' | 'last';
  dayOfMonth: string;
  endKind: RecurringEndKind;
  endCount: string;
  endDate: string;
  action: RecurringAction;
}

export function emptyRecurringForm(settings: Settings | undefined, today: string, customerId = ''): RecurringForm {
  return {
    name: '',
    customerId,
    currency: settings?.defaultCurrency ?? 'EUR',
    lines: [newLine()],
    discountKind: 'Percent',
    discountValue: '',
    notes: '',
    paymentTermsDays: String(settings?.paymentTermsDays ?? 14),
    unit: 'Month',
    interval: '1',
    startDate: today,
    dayMode: 'day',
    dayOfMonth: '',
    endKind: 'Never',
    endCount: '',
    endDate: '',
    action: 'Draft',
  };
}

export function formFromProfile(profile: RecurringProfile): RecurringForm {
  const { invoice, schedule } = profile;
  return {
    name: profile.name ?? '',
    customerId: invoice.customerId,
    currency: invoice.currency,
    lines: invoice.lines.map((l) => ({
      description: l.description,
      quantity: String(l.quantity),
      unitPrice: String(l.unitPrice),
      discountPercent: l.discountPercent ? String(l.discountPercent) : '',
      taxRatePercent: l.taxRatePercent ? String(l.taxRatePercent) : '',
    })),
    discountKind: invoice.discount.kind,
    discountValue: invoice.discount.value ? String(invoice.discount.value) : '',
    notes: invoice.notes ?? '',
    paymentTermsDays: invoice.paymentTermsDays !== undefined ? String(invoice.paymentTermsDays) : '',
    unit: schedule.unit,
    interval: String(schedule.interval),
    startDate: schedule.startDate,
    dayMode: schedule.lastDayOfMonth ? 'last' : 'day',
    dayOfMonth: schedule.dayOfMonth !== undefined ? String(schedule.dayOfMonth) : '',
    endKind: schedule.end.kind,
    endCount: schedule.end.count !== undefined ? String(schedule.end.count) : '',
    endDate: schedule.end.date ?? '',
    action: profile.action,
  };
}

/** A whole number from `min` to `max`, or null. */
function wholeNumber(text: string, min: number, max: number): number | null {
  const trimmed = text.trim();
  if (!/^\d{1,4}$/.test(trimmed)) return null;
  const n = Number(trimmed);
  return n >= min && n <= max ? n : null;
}

const isDate = (text: string) => /^\d{4}-\d{2}-\d{2}$/.test(text) && !Number.isNaN(Date.parse(`${text}T00:00:00Z`));

/** What must be fixed before the form can be sent (the API checks the rest), each at its field. */
export function recurringProblems(form: RecurringForm): FieldProblem[] {
  const problems = contentProblems(form);
  if (form.name.trim().length > NAME_MAX_LENGTH) problems.push({ field: 'name', message: `At most ${NAME_MAX_LENGTH} characters.` });
  if (!/^\d+$/.test(form.paymentTermsDays.trim())) problems.push({ field: 'paymentTermsDays', message: 'Enter a whole number of days.' });
  if (wholeNumber(form.interval, 1, MAX_INTERVAL) === null) problems.push({ field: 'interval', message: `Enter a whole number from 1 to ${MAX_INTERVAL}.` });
  if (!isDate(form.startDate)) problems.push({ field: 'startDate', message: 'Choose the first date.' });
  if (form.unit !== 'Week' && form.dayMode === 'day' && form.dayOfMonth.trim() !== '' && wholeNumber(form.dayOfMonth, 1, 31) === null)
    problems.push({ field: 'dayOfMonth', message: 'Enter a day from 1 to 31, or leave it empty for the start date’s day.' });
  if (form.endKind === 'AfterCount' && wholeNumber(form.endCount, 1, MAX_COUNT) === null)
    problems.push({ field: 'endCount', message: `Enter a number of invoices from 1 to ${MAX_COUNT}.` });
  if (form.endKind === 'OnDate') {
    if (!isDate(form.endDate)) problems.push({ field: 'endDate', message: 'Choose the last date.' });
    else if (isDate(form.startDate) && form.endDate < form.startDate) problems.push({ field: 'endDate', message: 'The end cannot be before the start.' });
  }
  return problems;
}

/** The schedule the form describes, or null while something in it is not valid yet (the preview waits for it). */
export function scheduleFromForm(form: Pick<RecurringForm, 'unit' | 'interval' | 'startDate' | 'dayMode' | 'dayOfMonth' | 'endKind' | 'endCount' | 'endDate'>): RecurringSchedule | null {
  const interval = wholeNumber(form.interval, 1, MAX_INTERVAL);
  if (interval === null || !isDate(form.startDate)) return null;
  const schedule: RecurringSchedule = { unit: form.unit, interval, startDate: form.startDate, end: { kind: form.endKind } };
  if (form.unit !== 'Week') {
    if (form.dayMode === 'last') schedule.lastDayOfMonth = true;
    else if (form.dayOfMonth.trim() !== '') {
      const day = wholeNumber(form.dayOfMonth, 1, 31);
      if (day === null) return null;
      schedule.dayOfMonth = day;
    }
  }
  if (form.endKind === 'AfterCount') {
    const count = wholeNumber(form.endCount, 1, MAX_COUNT);
    if (count === null) return null;
    schedule.end.count = count;
  }
  if (form.endKind === 'OnDate') {
    if (!isDate(form.endDate) || form.endDate < form.startDate) return null;
    schedule.end.date = form.endDate;
  }
  return schedule;
}

/** Two schedules that make the same dates (the editor asks: did the user change it?). */
export function sameSchedule(a: RecurringSchedule | null, b: RecurringSchedule | null): boolean {
  if (!a || !b) return a === b;
  return (
    a.unit === b.unit && a.interval === b.interval && a.startDate === b.startDate && (a.dayOfMonth ?? null) === (b.dayOfMonth ?? null) &&
    Boolean(a.lastDayOfMonth) === Boolean(b.lastDayOfMonth) && a.end.kind === b.end.kind && (a.end.count ?? null) === (b.end.count ?? null) &&
    (a.end.date ?? null) === (b.end.date ?? null)
  );
}

/** The body of POST/PUT /recurring (call after recurringProblems found nothing). */
export function toRecurringInput(form: RecurringForm): RecurringProfileInput {
  const schedule = scheduleFromForm(form);
  if (!schedule) throw new Error('The schedule is not complete.');
  return {
    name: form.name.trim() || undefined,
    invoice: { ...toContentInput(form), paymentTermsDays: Number(form.paymentTermsDays.trim()) },
    schedule,
    action: form.action,
  };
}

/** A problem's path (from its JSON pointer) as the editor's field, or null when the editor has no such field. */
export function recurringField(path: string): string | null {
  if (path === 'name' || path === 'action') return path;
  if (path === 'invoice.paymentTermsDays') return 'paymentTermsDays';
  if (path.startsWith('invoice.')) return contentField(path.slice('invoice.'.length));
  const schedule: Record<string, string> = {
    'schedule.unit': 'unit',
    'schedule.interval': 'interval',
    'schedule.startDate': 'startDate',
    'schedule.dayOfMonth': 'dayOfMonth',
    'schedule.lastDayOfMonth': 'dayOfMonth',
    'schedule.end.kind': 'endKind',
    'schedule.end.count': 'endCount',
    'schedule.end.date': 'endDate',
  };
  return schedule[path] ?? null;
}

export const PREVIEW_COUNT = 6;

/** The preview's dates, and whether they are the server's (the saved schedule, unchanged) or calculated here. */
export interface RunPreview {
  dates: string[];
  source: 'saved' | 'calculated';
}

/**
 * The next run dates the editor shows. A saved profile whose schedule is unchanged keeps its next runs (the server's,
 * none while paused); a new or changed schedule is calculated as the server will on saving (RecurringRules.Create and
 * Edit): from today, or after the last period already run, with the invoices left under an end after N.
 */
export function previewRuns(
  schedule: RecurringSchedule | null,
  today: string,
  saved?: Pick<RecurringProfile, 'schedule' | 'nextRuns' | 'runs' | 'invoicesMade'>,
): RunPreview | null {
  if (!schedule) return null;
  if (saved && sameSchedule(schedule, saved.schedule)) return { dates: saved.nextRuns, source: 'saved' };
  const from = firstRunFrom(today, saved?.runs.at(-1)?.period);
  return { dates: upcomingRuns(schedule, from, PREVIEW_COUNT, saved?.invoicesMade ?? 0), source: 'calculated' };
}
