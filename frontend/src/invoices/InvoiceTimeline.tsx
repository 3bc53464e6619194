// The invoice's history: the change feed's entries (GET /invoices/{id}/activity, newest first, "Show more" for older
// ones), each e-mail with what became of each recipient, and on top the reminder the plan sends next.
import type { Invoice } from '../api/types';
import { ActivityList } from '../activity/ActivityList';
import { formatDate } from '../format/format';
import { deliverySettled } from './deliveryText';

export function InvoiceTimeline(props: { invoice: Invoice; version?: number }) {
  const invoice = props.invoice;
  const planned = invoice.nextReminder ? (
    <li className="timeline__event timeline__event--planned">
      <span className="timeline__dot" aria-hidden="true" />
      <div className="timeline__body">
        <div className="timeline__line">
          <strong>{`Next reminder: ${invoice.nextReminder.label}`}</strong>
          <span className="timeline__at muted small">{`Planned for ${formatDate(invoice.nextReminder.date)}`}</span>
        </div>
      </div>
    </li>
  ) : undefined;
  // Watch while an e-mail is on its way (its outcome comes a moment later), and just after a change (its entry too).
  const watch = (invoice.deliveries ?? []).some((d) => !deliverySettled(d)) || Date.now() - Date.parse(invoice.updatedAt) < 60_000;
  return <ActivityList entity="invoice" id={invoice.id} first={planned} watch={watch} />;
}
