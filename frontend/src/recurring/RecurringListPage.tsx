import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import type { RecurringProfileSummary } from '../api/types';
import { useAbilities, useQueryKeys } from '../app/business';
import { useApi } from '../app/session';
import { usePageTitle } from '../app/usePageTitle';
import { formatDate, formatMoney } from '../format/format';
import { EmptyState, ErrorState, Loading } from '../ui/feedback';
import { CustomerName } from './CustomerName';
import { describeSchedule } from './describe';
import { RecurringStatusChip } from './RecurringStatusChip';

export function RecurringListPage() {
  usePageTitle('Recurring invoices');
  const api = useApi();
  const keys = useQueryKeys();
  const can = useAbilities();
  const profiles = useQuery({ queryKey: keys.recurringProfiles, queryFn: ({ signal }) => api.listRecurringProfiles(signal) });
  return (
    <div className="page">
      <div className="page__header">
        <h1>Recurring invoices</h1>
        {can.write ? (
          <div className="page__actions">
            <Link to="/recurring/new" className="button button--primary">
              New recurring invoice
            </Link>
          </div>
        ) : null}
      </div>
      {profiles.isPending ? (
        <Loading lines={5} label="Loading the recurring invoices…" />
      ) : profiles.isError ? (
        <ErrorState error={profiles.error} onRetry={() => profiles.refetch()} />
      ) : profiles.data.items.length === 0 ? (
        <EmptyState
          title="No recurring invoices yet"
          actions={can.write ? <Link to="/recurring/new" className="button button--primary">New recurring invoice</Link> : null}
        >
          {can.write
            ? 'Bill the same customer on a schedule: every month, quarter, year or few weeks, as a draft to review or sent straight away.'
            : 'The recurring invoices of this business appear here once someone sets them up.'}
        </EmptyState>
      ) : (
        <RecurringTable items={profiles.data.items} />
      )}
    </div>
  );
}

function RecurringTable(props: { items: RecurringProfileSummary[] }) {
  return (
    <div className="table-wrap">
      <table className="table table--cards table--recurring">
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Customer</th>
            <th scope="col" className="num">Amount</th>
            <th scope="col">Schedule</th>
            <th scope="col">Next run</th>
            <th scope="col">Status</th>
            <th scope="col" className="num">Invoices made</th>
          </tr>
        </thead>
        <tbody>
          {props.items.map((profile) => (
            <tr key={profile.id} data-testid={`recurring-${profile.id}`}>
              <td data-label="Name">
                <Link to={`/recurring/${profile.id}`} className="strong-link" dir="auto">
                  {profile.name ?? 'Untitled'}
                </Link>
              </td>
              <td data-label="Customer">
                <CustomerName id={profile.customerId} />
              </td>
              <td data-label="Amount" className="num money">
                {formatMoney(profile.total, profile.currency)}
              </td>
              <td data-label="Schedule">{describeSchedule(profile.schedule)}</td>
              <td data-label="Next run">{profile.status === 'Active' && profile.nextRunDate ? formatDate(profile.nextRunDate) : '—'}</td>
              <td data-label="Status">
                <RecurringStatusChip status={profile.status} />
              </td>
              <td data-label="Invoices made" className="num">
                {profile.invoicesMade}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
