import { useInfiniteQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { useQueryKeys } from '../app/business';
import { useApi } from '../app/session';
import { usePageTitle } from '../app/usePageTitle';
import { formatDate, formatMoney } from '../format/format';
import { EmptyState, ErrorState, Loading } from '../ui/feedback';

/** The business's credit notes, newest first (issued from an invoice's page). */
export function CreditNotesPage() {
  usePageTitle('Credit notes');
  const api = useApi();
  const keys = useQueryKeys();
  const notes = useInfiniteQuery({
    queryKey: keys.creditNotes,
    queryFn: ({ signal, pageParam }) => api.listCreditNotes({ cursor: pageParam }, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor,
  });
  const items = notes.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <div className="page">
      <div className="page__header">
        <h1>Credit notes</h1>
      </div>
      {notes.isPending ? (
        <Loading lines={5} label="Loading the credit notes…" />
      ) : notes.isError ? (
        <ErrorState error={notes.error} onRetry={() => notes.refetch()} />
      ) : items.length === 0 ? (
        <EmptyState title="No credit notes yet">
          A credit note corrects a finalized invoice: open the invoice and choose “Issue credit note” to credit some of its lines or an amount.
        </EmptyState>
      ) : (
        <div className="table-wrap">
          <table className="table table--cards" data-testid="credit-notes">
            <thead>
              <tr>
                <th scope="col">Number</th>
                <th scope="col">Invoice</th>
                <th scope="col">Customer</th>
                <th scope="col">Date</th>
                <th scope="col">Reason</th>
                <th scope="col" className="num">Owed to customer</th>
                <th scope="col" className="num">Total</th>
              </tr>
            </thead>
            <tbody>
              {items.map((note) => (
                <tr key={note.id} data-testid={`credit-note-${note.id}`}>
                  <td data-label="Number">
                    <Link to={`/credit-notes/${note.id}`} className="strong-link">
                      {note.number}
                    </Link>
                  </td>
                  <td data-label="Invoice">
                    <Link to={`/invoices/${note.invoiceId}`}>{note.invoiceNumber}</Link>
                  </td>
                  <td data-label="Customer" dir="auto">{note.customerName}</td>
                  <td data-label="Date">{formatDate(note.issuedAt.slice(0, 10))}</td>
                  <td data-label="Reason" dir="auto">{note.reason}</td>
                  <td data-label="Owed to customer" className="num money">
                    {note.owedToCustomer > 0 ? formatMoney(note.owedToCustomer, note.currency) : '—'}
                  </td>
                  <td data-label="Total" className="num money">{formatMoney(note.total, note.currency)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {notes.hasNextPage ? (
            <button type="button" className="button" disabled={notes.isFetchingNextPage} onClick={() => notes.fetchNextPage()}>
              {notes.isFetchingNextPage ? 'Loading…' : 'Show more'}
            </button>
          ) : null}
        </div>
      )}
    </div>
  );
}
