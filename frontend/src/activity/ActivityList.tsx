// The history of an invoice or a customer from the change feed (GET …/activity), newest first, 20 at a time with
// "Show more". Entries appear a moment after a change: while something is under way the list looks again.
import type { ReactNode } from 'react';
import { useInfiniteQuery } from '@tanstack/react-query';
import { useApi } from '../app/session';
import { useQueryKeys } from '../app/business';
import { formatDateTime } from '../format/format';
import { deliveryStatusText } from '../invoices/deliveryText';
import { ErrorState, Loading } from '../ui/feedback';
import { changeText, entryText, historyItems, type HistoryItem } from './activity';

export function ActivityList(props: {
  entity: 'invoice' | 'customer';
  id: string;
  /** Shown above the history (the invoice's next planned reminder). */
  first?: ReactNode;
  /** Look again every 2 s while true (an e-mail on its way, a change just made). */
  watch?: boolean;
}) {
  const api = useApi();
  const keys = useQueryKeys();
  const history = useInfiniteQuery({
    queryKey: keys.activity(props.entity, props.id),
    queryFn: ({ pageParam, signal }) => api.listActivity(props.entity === 'invoice' ? 'invoices' : 'customers', props.id, pageParam, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor,
    refetchInterval: (query) => (props.watch && query.state.dataUpdateCount < 90 ? 2000 : false),
  });
  if (history.isPending) return <Loading lines={3} label="Loading the history…" />;
  if (history.isError) return <ErrorState error={history.error} onRetry={() => history.refetch()} />;
  const items = historyItems(history.data.pages.flatMap((page) => page.items));
  return (
    <>
      <ol className="timeline" aria-label="History">
        {props.first}
        {items.map((item) => (
          <li key={item.entry.id} className={`timeline__event ${itemClass(item)}`}>
            <span className="timeline__dot" aria-hidden="true" />
            <div className="timeline__body">
              <ItemContent item={item} />
            </div>
          </li>
        ))}
        {items.length === 0 && !props.first ? <li className="timeline__event muted">Nothing recorded yet.</li> : null}
      </ol>
      {history.hasNextPage ? (
        <button type="button" className="button button--small" onClick={() => history.fetchNextPage()} disabled={history.isFetchingNextPage}>
          {history.isFetchingNextPage ? 'Loading…' : 'Show more'}
        </button>
      ) : null}
    </>
  );
}

/** An e-mail keeps the delivery classes (delivery--sent, --failed, --reminder) its outcome is styled and found by. */
function itemClass(item: HistoryItem): string {
  if (item.type === 'entry') return `timeline__event--${item.entry.kind}`;
  return `timeline__event--email delivery delivery--${item.status.toLowerCase()}${item.reminder ? ' delivery--reminder' : ''}`;
}

function ItemContent(props: { item: HistoryItem }) {
  const { item } = props;
  const text = entryText(item.entry);
  if (item.type === 'email') {
    const d = item.entry.details;
    return (
      <>
        <div className="timeline__line">
          <strong>{text.title}</strong>{' '}
          <span className={`chip chip--delivery-${item.status.toLowerCase()}`}>{deliveryStatusText[item.status] ?? item.status}</span>
          <span className="timeline__at muted small">{formatDateTime(item.entry.at)}</span>
        </div>
        {text.detail ? <div className="timeline__detail muted small">{text.detail}</div> : null}
        <ul className="delivery__recipients">
          {[...(d.to ? d.to.split(', ') : []), ...(d.cc ? d.cc.split(', ') : [])].map((address) => {
            const outcome = item.recipients.find((r) => r.address.toLowerCase() === address.toLowerCase());
            return (
              <li key={address} className={`recipient recipient--${(outcome?.status ?? 'Pending').toLowerCase()}`}>
                <span className="recipient__address">{address}</span>{' '}
                <span className="muted small">
                  {outcome ? (outcome.status === 'Delivered' ? `Delivered ${formatDateTime(outcome.at)}` : `Refused: ${outcome.reason ?? ''}`) : 'Pending'}
                </span>
              </li>
            );
          })}
        </ul>
      </>
    );
  }
  return (
    <>
      <div className="timeline__line">
        <strong>{text.title}</strong>
        <span className="timeline__at muted small">{formatDateTime(item.entry.at)}</span>
      </div>
      {text.detail ? <div className="timeline__detail">{text.detail}</div> : null}
      {item.entry.changes?.length ? (
        <ul className="timeline__changes muted small">
          {item.entry.changes.map((change) => (
            <li key={change.field}>{changeText(change, item.entry.details.currency)}</li>
          ))}
        </ul>
      ) : null}
    </>
  );
}
