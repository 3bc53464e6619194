import type { RecurringStatus } from '../api/types';

const labels: Record<RecurringStatus, string> = { Active: 'Active', Paused: 'Paused', Ended: 'Ended' };

export function RecurringStatusChip(props: { status: RecurringStatus }) {
  return <span className={`chip chip--recurring-${props.status.toLowerCase()}`}>{labels[props.status]}</span>;
}
