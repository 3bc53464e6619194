// Every case of tests/cases/recurring-schedule.json, the file the server's domain tests run too
// (RecurringScheduleCasesTests): the editor's preview of the next run dates and the server's schedule agree.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { RecurringSchedule } from '../src/api/types';
import { describeSchedule, ordinal } from '../src/recurring/describe';
import { firstRunFrom, nextRuns, upcomingRuns, utcToday } from '../src/recurring/schedule';

interface ScheduleCase {
  name: string;
  schedule: RecurringSchedule;
  from: string;
  count: number;
  invoicesMade: number;
  expected: string[];
}

const casesPath = fileURLToPath(new URL('../../tests/cases/recurring-schedule.json', import.meta.url));
const cases: ScheduleCase[] = JSON.parse(readFileSync(casesPath, 'utf8'));

describe('recurring schedule (tests/cases/recurring-schedule.json)', () => {
  it('has the shared cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(20);
  });

  it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    expect(upcomingRuns(c.schedule, c.from, c.count, c.invoicesMade)).toEqual(c.expected);
  });
});

describe('nextRuns', () => {
  const monthly = (startDate: string, extra: Partial<RecurringSchedule> = {}): RecurringSchedule => ({
    unit: 'Month', interval: 1, startDate, end: { kind: 'Never' }, ...extra,
  });

  it('walks a long series without drifting from the day of the month', () => {
    const runs = nextRuns(monthly('2027-01-31'), '2027-01-01', 25);
    expect(runs).toHaveLength(25);
    expect(runs.filter((d) => d.endsWith('-31'))).toHaveLength(15);
    expect(runs[24]).toBe('2029-01-31');
  });

  it('gives nothing for an interval that is not a positive number', () => {
    expect(nextRuns(monthly('2027-01-01', { interval: 0 }), '2027-01-01', 3)).toEqual([]);
    expect(nextRuns(monthly('2027-01-01', { interval: Number.NaN }), '2027-01-01', 3)).toEqual([]);
  });

  it('asks for at most a thousand dates', () => {
    expect(nextRuns({ ...monthly('2027-01-01'), unit: 'Week' }, '2027-01-01', 5000)).toHaveLength(1000);
  });
});

describe('firstRunFrom', () => {
  it('starts a new profile today', () => {
    expect(firstRunFrom('2027-03-10')).toBe('2027-03-10');
  });
  it('starts a changed schedule after the last period run, never before today', () => {
    expect(firstRunFrom('2027-03-10', '2027-03-10')).toBe('2027-03-11');
    expect(firstRunFrom('2027-03-10', '2027-01-31')).toBe('2027-03-10');
  });
});

it('utcToday is the UTC calendar day', () => {
  expect(utcToday(new Date('2027-03-10T23:30:00-05:00'))).toBe('2027-03-11');
});

describe('describeSchedule', () => {
  const iso = (d: string) => d;
  const schedule = (extra: Partial<RecurringSchedule>): RecurringSchedule => ({
    unit: 'Month', interval: 1, startDate: '2027-03-15', end: { kind: 'Never' }, ...extra,
  });

  it.each([
    [schedule({}), 'Every month on the 15th'],
    [schedule({ interval: 2, dayOfMonth: 1 }), 'Every 2 months on the 1st'],
    [schedule({ lastDayOfMonth: true }), 'Every month on the last day'],
    [schedule({ unit: 'Quarter', dayOfMonth: 22 }), 'Every quarter on the 22nd'],
    [schedule({ unit: 'Week' }), 'Every week on Monday'],
    [schedule({ unit: 'Week', interval: 2, startDate: '2027-03-19' }), 'Every 2 weeks on Friday'],
    [schedule({ unit: 'Year' }), 'Every year on 15 March'],
    [schedule({ unit: 'Year', startDate: '2028-02-29', lastDayOfMonth: true }), 'Every year on the last day of February'],
    [schedule({ end: { kind: 'AfterCount', count: 12 } }), 'Every month on the 15th, 12 times'],
    [schedule({ end: { kind: 'AfterCount', count: 1 } }), 'Every month on the 15th, once'],
    [schedule({ end: { kind: 'OnDate', date: '2027-12-31' } }), 'Every month on the 15th, until 2027-12-31'],
  ])('%o reads "%s"', (s, words) => {
    expect(describeSchedule(s, iso)).toBe(words);
  });

  it('writes English ordinals', () => {
    expect([1, 2, 3, 4, 11, 12, 13, 21, 22, 23, 31].map(ordinal)).toEqual(['1st', '2nd', '3rd', '4th', '11th', '12th', '13th', '21st', '22nd', '23rd', '31st']);
  });
});
