// Every case of tests/cases/reminder-text.json, the file the server's domain tests run too: the plan editor's preview
// fills placeholders exactly as the reminders customers receive.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { describeStep, fillPlaceholders, unknownPlaceholders, type ReminderValues } from '../src/settings/reminderText';

const cases = JSON.parse(readFileSync(fileURLToPath(new URL('../../tests/cases/reminder-text.json', import.meta.url)), 'utf8')) as {
  values: ReminderValues;
  cases: { template: string; expected: string; unknown: string[] }[];
};

describe('reminder placeholders (shared cases)', () => {
  for (const c of cases.cases) {
    it(`fills ${JSON.stringify(c.template)}`, () => {
      expect(fillPlaceholders(c.template, cases.values)).toBe(c.expected);
      expect(unknownPlaceholders(c.template)).toEqual(c.unknown);
    });
  }

  it('never fills an inherited property name', () => {
    expect(fillPlaceholders('{toString} {constructor}', cases.values)).toBe('{toString} {constructor}');
  });
});

describe('describeStep', () => {
  it('says when each step falls', () => {
    expect(describeStep({ timing: 'BeforeDue', days: 1, repeatEveryDays: 0, repeats: 0 })).toBe('1 day before the due date');
    expect(describeStep({ timing: 'OnDueDate', days: 0, repeatEveryDays: 0, repeats: 0 })).toBe('On the due date');
    expect(describeStep({ timing: 'AfterDue', days: 7, repeatEveryDays: 14, repeats: 2 })).toBe('7 days after the due date, then every 14 days, 2 more times');
  });
});
