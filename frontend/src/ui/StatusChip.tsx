import type { InvoiceStatus } from '../api/types';
import { statusLabel } from '../format/format';

export function StatusChip(props: { status: InvoiceStatus; overdue?: boolean; daysOverdue?: number }) {
  const { status, overdue, daysOverdue } = props;
  return (
    <span className="chips">
      <span className={`chip chip--${status.toLowerCase()}`}>{statusLabel(status)}</span>
      {overdue ? (
        <span className="chip chip--overdue" title={daysOverdue ? `${daysOverdue} days overdue` : undefined}>
          Overdue{daysOverdue ? ` ${daysOverdue} d` : ''}
        </span>
      ) : null}
    </span>
  );
}
