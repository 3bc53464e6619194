import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import type { QuoteSummary } from '../api/types';
import { useAbilities, useQueryKeys } from '../app/business';
import { useApi } from '../app/session';
import { usePageTitle } from '../app/usePageTitle';
import { formatDate, formatMoney } from '../format/format';
import { EmptyState, ErrorState, Loading } from '../ui/feedback';
import { QuoteStatusChip } from './QuoteStatusChip';

export function QuotesPage() {
  usePageTitle('Quotes');
  const api = useApi();
  const keys = useQueryKeys();
  const can = useAbilities();
  const quotes = useQuery({ queryKey: keys.quotes, queryFn: ({ signal }) => api.listQuotes(signal) });
  return (
    <div className="page">
      <div className="page__header">
        <h1>Quotes</h1>
        {can.write ? (
          <div className="page__actions">
            <Link to="/quotes/new" className="button button--primary">
              New quote
            </Link>
          </div>
        ) : null}
      </div>
      {quotes.isPending ? (
        <Loading lines={5} label="Loading the quotes…" />
      ) : quotes.isError ? (
        <ErrorState error={quotes.error} onRetry={() => quotes.refetch()} />
      ) : quotes.data.items.length === 0 ? (
        <EmptyState title="No quotes yet" actions={can.write ? <Link to="/quotes/new" className="button button--primary">New quote</Link> : null}>
          {can.write
            ? 'Offer your work before you invoice it: the customer accepts or declines the quote on its own page, and an accepted quote becomes an invoice in one click.'
            : 'The quotes of this business appear here once someone makes one.'}
        </EmptyState>
      ) : (
        <QuoteTable items={quotes.data.items} />
      )}
    </div>
  );
}

function QuoteTable(props: { items: QuoteSummary[] }) {
  return (
    <div className="table-wrap">
      <table className="table table--cards table--quotes">
        <thead>
          <tr>
            <th scope="col">Number</th>
            <th scope="col">Customer</th>
            <th scope="col">Date</th>
            <th scope="col">Valid until</th>
            <th scope="col">Status</th>
            <th scope="col" className="num">Total</th>
          </tr>
        </thead>
        <tbody>
          {props.items.map((quote) => (
            <tr key={quote.id} data-testid={`quote-${quote.id}`}>
              <td data-label="Number">
                <Link to={`/quotes/${quote.id}`} className="strong-link">
                  {quote.number ?? 'Draft'}
                </Link>
              </td>
              <td data-label="Customer" dir="auto">{quote.customerName}</td>
              <td data-label="Date">{formatDate(quote.issueDate)}</td>
              <td data-label="Valid until">{formatDate(quote.validUntil)}</td>
              <td data-label="Status">
                <QuoteStatusChip status={quote.status} />
              </td>
              <td data-label="Total" className="num money">
                {formatMoney(quote.total, quote.currency)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
