// The reminder plan's words, as the server fills them (SmallPay.Domain/Reminders/ReminderText.cs, the same cases in
// tests/cases/reminder-text.json): {number}, {amountDue}, {dueDate}, {daysOverdue}, {businessName}, {customerName}.
import type { ReminderStep } from '../api/types';

export const PLACEHOLDERS = ['number', 'amountDue', 'dueDate', 'daysOverdue', 'businessName', 'customerName'] as const;
export type ReminderValues = Record<(typeof PLACEHOLDERS)[number], string | number>;

// "{name}" where the name is 1–32 ASCII letters; anything else in braces stays as typed.
const NAME = /\{([A-Za-z]{1,32})\}/g;

export function fillPlaceholders(template: string, values: ReminderValues): string {
  return template.replace(NAME, (whole, name: string) => (Object.hasOwn(values, name) ? String(values[name as keyof ReminderValues]) : whole));
}

/** Names in braces that are not placeholders (the server refuses them: a typo would reach customers). */
export function unknownPlaceholders(template: string): string[] {
  return [...template.matchAll(NAME)].map((m) => m[1]).filter((name) => !(PLACEHOLDERS as readonly string[]).includes(name));
}

/** "3 days before the due date", "On the due date", "7 days after the due date, then every 14 days, 2 more times". */
export function describeStep(step: Pick<ReminderStep, 'timing' | 'days' | 'repeatEveryDays' | 'repeats'>): string {
  const days = (n: number) => `${n} day${n === 1 ? '' : 's'}`;
  switch (step.timing) {
    case 'BeforeDue':
      return `${days(step.days)} before the due date`;
    case 'OnDueDate':
      return 'On the due date';
    default:
      return step.repeats > 0
        ? `${days(step.days)} after the due date, then every ${days(step.repeatEveryDays)}, ${step.repeats} more time${step.repeats === 1 ? '' : 's'}`
        : `${days(step.days)} after the due date`;
  }
}
