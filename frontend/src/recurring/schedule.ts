// A mirror of the domain's RecurringSchedule (functions/SmallPay.Domain/Recurring/RecurringSchedule.cs) for the editor's
// live preview of the next run dates. tests/cases/recurring-schedule.json holds the cases that both the C# domain tests
// and tests/recurringSchedule.test.ts run, so the preview and the server cannot drift apart unseen.
import type { RecurringSchedule } from '../api/types';

const MONTHS_PER_PERIOD = { Month: 1, Quarter: 3, Year: 12 } as const;
/** Enough dates for any preview; a bound so a broken schedule can never loop for long. */
const MAX_RUNS = 1000;

function dayNumber(date: string): number {
  const [y, m, d] = date.split('-').map(Number);
  return Date.UTC(y, m - 1, d) / 86_400_000;
}

function fromDayNumber(day: number): string {
  return new Date(day * 86_400_000).toISOString().slice(0, 10);
}

function isoDate(year: number, month: number, day: number): string {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** The series' dates on or after `from`, at most `count`, up to the end date (as RecurringSchedule.NextRuns). */
export function nextRuns(schedule: RecurringSchedule, from: string, count: number): string[] {
  const runs: string[] = [];
  const wanted = Math.min(count, MAX_RUNS);
  if (wanted <= 0 || !(schedule.interval >= 1)) return runs;
  const start = from > schedule.startDate ? from : schedule.startDate;
  const endDate = schedule.end.kind === 'OnDate' ? schedule.end.date : undefined;
  const past = (date: string) => endDate !== undefined && date > endDate;

  if (schedule.unit === 'Week') {
    const step = 7 * schedule.interval;
    const first = dayNumber(schedule.startDate);
    let k = Math.max(0, Math.ceil((dayNumber(start) - first) / step));
    while (runs.length < wanted) {
      const date = fromDayNumber(first + k * step);
      if (date > '9999-12-31' || past(date)) break;
      runs.push(date);
      k++;
    }
    return runs;
  }

  const months = MONTHS_PER_PERIOD[schedule.unit] * schedule.interval;
  const [startYear, startMonth, startDay] = schedule.startDate.split('-').map(Number);
  const [fromYear, fromMonth] = start.split('-').map(Number);
  const startIndex = startYear * 12 + startMonth - 1;
  const fromIndex = fromYear * 12 + fromMonth - 1;
  for (let n = Math.max(0, Math.trunc((fromIndex - startIndex) / months) - 1); runs.length < wanted; n++) {
    const index = startIndex + n * months;
    const year = Math.floor(index / 12);
    if (year > 9999) break;
    const month = (index % 12) + 1;
    const last = daysInMonth(year, month);
    const day = schedule.lastDayOfMonth ? last : Math.min(schedule.dayOfMonth ?? startDay, last);
    const date = isoDate(year, month, day);
    if (date < start) continue;
    if (past(date)) break;
    runs.push(date);
  }
  return runs;
}

/**
 * The next `count` dates a profile whose next run is `from` will invoice, with `invoicesMade` made already: an end after N
 * invoices leaves N − made (as RecurringProfile.UpcomingRuns).
 */
export function upcomingRuns(schedule: RecurringSchedule, from: string, count: number, invoicesMade = 0): string[] {
  const remaining = schedule.end.kind === 'AfterCount' ? Math.max(0, (schedule.end.count ?? 0) - invoicesMade) : count;
  return nextRuns(schedule, from, Math.min(count, remaining));
}

/**
 * Where a saved schedule's runs would start (RecurringRules.Create and Edit): a new profile's first run is its first date on
 * or after today; a changed schedule starts after the last period already run, and never before today.
 */
export function firstRunFrom(today: string, lastRunPeriod?: string): string {
  if (!lastRunPeriod) return today;
  const after = fromDayNumber(dayNumber(lastRunPeriod) + 1);
  return after > today ? after : today;
}

/** Today in UTC, the server's calendar: a period is due from 00:00 UTC of its date. */
export function utcToday(now = new Date()): string {
  return now.toISOString().slice(0, 10);
}
