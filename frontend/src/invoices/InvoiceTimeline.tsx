// The invoice's history as a timeline (timeline.ts builds it): every e-mail with each recipient's outcome, payments,
// and the reminder the plan sends next.
import type { Invoice } from '../api/types';
import { formatDate, formatDateTime, formatMoney } from '../format/format';
import { DeliveryRecipients } from './documents';
import { deliveryStatusText } from './deliveryText';
import { emailTitle, invoiceTimeline, methodLabel, type TimelineEvent } from './timeline';

export function InvoiceTimeline(props: { invoice: Invoice }) {
  const events = invoiceTimeline(props.invoice);
  return (
    <ol className="timeline" aria-label="History">
      {events.map((event, i) => (
        <li key={i} className={`timeline__event ${eventClass(event)}`}>
          <span className="timeline__dot" aria-hidden="true" />
          <div className="timeline__body">
            <EventContent event={event} currency={props.invoice.currency} />
          </div>
        </li>
      ))}
    </ol>
  );
}

/** An e-mail keeps the delivery classes (delivery--sent, --failed, …) its outcome is styled and found by. */
function eventClass(event: TimelineEvent): string {
  if (event.kind !== 'email') return `timeline__event--${event.kind}`;
  const kind = event.delivery.kind === 'Reminder' ? ' delivery--reminder' : '';
  return `timeline__event--email delivery delivery--${event.delivery.status.toLowerCase()}${kind}`;
}

function EventContent(props: { event: TimelineEvent; currency: string }) {
  const e = props.event;
  switch (e.kind) {
    case 'created':
      return <Line title="Created as a draft" at={formatDateTime(e.at)} />;
    case 'finalized':
      return <Line title={`Finalized${e.number ? ` as ${e.number}` : ''}`} at={formatDateTime(e.at)} />;
    case 'payment':
      return <Line title={`Payment of ${formatMoney(e.amount, props.currency)} (${methodLabel(e.method)}, ${formatDate(e.date)})`} at={formatDateTime(e.at)} />;
    case 'voided':
      return <Line title="Voided" at={formatDateTime(e.at)} detail={e.reason} />;
    case 'planned':
      return <Line title={`Next reminder: ${e.label}`} at={`Planned for ${formatDate(e.at)}`} />;
    case 'email': {
      const d = e.delivery;
      return (
        <>
          <div className="timeline__line">
            <strong>{emailTitle(d)}</strong>{' '}
            <span className={`chip chip--delivery-${d.status.toLowerCase()}`}>{deliveryStatusText[d.status] ?? d.status}</span>
            <span className="timeline__at muted small">{formatDateTime(e.at)}</span>
          </div>
          {d.subject ? <div className="timeline__detail muted small">“{d.subject}”</div> : null}
          <DeliveryRecipients delivery={d} />
          {(d.status === 'Failed' || d.status === 'Cancelled') && d.failureReason && !d.recipients?.length ? (
            <div className="delivery__reason">Why: {d.failureReason}</div>
          ) : null}
        </>
      );
    }
  }
}

function Line(props: { title: string; at: string; detail?: string }) {
  return (
    <>
      <div className="timeline__line">
        <strong>{props.title}</strong>
        <span className="timeline__at muted small">{props.at}</span>
      </div>
      {props.detail ? <div className="timeline__detail">{props.detail}</div> : null}
    </>
  );
}
