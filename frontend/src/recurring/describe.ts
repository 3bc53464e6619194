// A recurring schedule in words, for the list, the detail page and the editor's preview: "Every month on the 15th",
// "Every 2 weeks on Monday", "Every quarter on the last day", "Every year on 29 February, 12 times".
import type { RecurringSchedule } from '../api/types';
import { formatDate } from '../format/format';

const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const UNIT_NAMES = { Week: ['week', 'weeks'], Month: ['month', 'months'], Quarter: ['quarter', 'quarters'], Year: ['year', 'years'] } as const;

export function ordinal(n: number): string {
  const tens = n % 100;
  const suffix = tens >= 11 && tens <= 13 ? 'th' : ['th', 'st', 'nd', 'rd'][n % 10] ?? 'th';
  return `${n}${suffix}`;
}

function every(schedule: RecurringSchedule): string {
  const [one, many] = UNIT_NAMES[schedule.unit];
  return schedule.interval === 1 ? `Every ${one}` : `Every ${schedule.interval} ${many}`;
}

function onWhichDay(schedule: RecurringSchedule): string {
  const [year, month, day] = schedule.startDate.split('-').map(Number);
  if (schedule.unit === 'Week') return `on ${WEEKDAYS[new Date(Date.UTC(year, month - 1, day)).getUTCDay()]}`;
  if (schedule.unit === 'Year') {
    return schedule.lastDayOfMonth ? `on the last day of ${MONTHS[month - 1]}` : `on ${schedule.dayOfMonth ?? day} ${MONTHS[month - 1]}`;
  }
  if (schedule.lastDayOfMonth) return 'on the last day';
  return `on the ${ordinal(schedule.dayOfMonth ?? day)}`;
}

function ending(schedule: RecurringSchedule, date: (d: string) => string): string {
  const end = schedule.end;
  if (end.kind === 'AfterCount' && end.count) return end.count === 1 ? ', once' : `, ${end.count} times`;
  if (end.kind === 'OnDate' && end.date) return `, until ${date(end.date)}`;
  return '';
}

export function describeSchedule(schedule: RecurringSchedule, date: (d: string) => string = formatDate): string {
  return `${every(schedule)} ${onWhichDay(schedule)}${ending(schedule, date)}`;
}
