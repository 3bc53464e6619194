import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import { ApiError } from '../api/client';
import { recurringProfileChanged } from '../api/queries';
import type { RecurringProfile, Versioned } from '../api/types';
import { useAbilities, useQueryKeys } from '../app/business';
import { useApi } from '../app/session';
import { usePageTitle } from '../app/usePageTitle';
import { formatDate, formatMoney } from '../format/format';
import { recurringActions } from '../team/roles';
import { Alert, ErrorState, Loading, errorMessage, useToast } from '../ui/feedback';
import { StatusChip } from '../ui/StatusChip';
import { CustomerName } from './CustomerName';
import { describeSchedule } from './describe';
import { RecurringStatusChip } from './RecurringStatusChip';

export function RecurringDetailPage() {
  const { profileId = '' } = useParams();
  const api = useApi();
  const keys = useQueryKeys();
  const [stale, setStale] = useState(false);
  const profile = useQuery({ queryKey: keys.recurringProfile(profileId), queryFn: ({ signal }) => api.getRecurringProfile(profileId, signal) });
  usePageTitle(profile.data?.data.name ?? 'Recurring invoice');

  if (profile.isPending) return <div className="page"><Loading lines={10} label="Loading the recurring invoice…" /></div>;
  if (profile.isError) return <div className="page"><ErrorState error={profile.error} onRetry={() => profile.refetch()} /></div>;
  const p = profile.data.data;
  return (
    <div className="page">
      <p className="breadcrumb">
        <Link to="/recurring">Recurring invoices</Link>
      </p>
      <div className="page__header">
        <h1 dir="auto">
          {p.name ?? 'Recurring invoice'} <RecurringStatusChip status={p.status} />
        </h1>
        <div className="page__actions">
          <Actions profile={profile.data} onStale={() => setStale(true)} />
        </div>
      </div>
      {stale ? (
        <Alert
          kind="warning"
          title="This recurring invoice was changed somewhere else"
          actions={
            <button
              type="button"
              className="button"
              onClick={async () => {
                await profile.refetch();
                setStale(false);
              }}
            >
              Reload
            </button>
          }
        >
          Someone (or the scheduler, making an invoice) changed it after you opened it, so nothing was done. Reload, then try again.
        </Alert>
      ) : null}
      {p.status === 'Paused' ? (
        <Alert kind="info" title="Paused">
          {p.pausedReason ?? 'No invoices are made until it is resumed.'} On resuming, the latest date missed meanwhile is invoiced once; earlier ones are skipped.
        </Alert>
      ) : null}
      <div className="grid-2">
        <ScheduleCard profile={p} />
        <NextRunsCard profile={p} />
      </div>
      <InvoiceCard profile={p} />
      <RunsCard profile={p} />
    </div>
  );
}

/** Edit, and pause or resume, as the profile's status and the user's role allow (roles.ts). */
function Actions(props: { profile: Versioned<RecurringProfile>; onStale: () => void }) {
  const { profile } = props;
  const api = useApi();
  const keys = useQueryKeys();
  const queryClient = useQueryClient();
  const toast = useToast();
  const can = useAbilities();
  const change = useMutation({
    mutationFn: (action: 'pause' | 'resume') =>
      action === 'pause' ? api.pauseRecurringProfile(profile.data.id, profile.etag) : api.resumeRecurringProfile(profile.data.id, profile.etag),
    onSuccess: (saved, action) => {
      recurringProfileChanged(queryClient, keys, saved);
      toast(action === 'pause' ? 'Paused: no invoices until you resume it.' : 'Resumed.');
    },
    onError: (error) => {
      if (error instanceof ApiError && error.isStale) props.onStale();
    },
  });
  const actions = recurringActions(profile.data.status, can);
  return (
    <>
      {change.isError && !(change.error instanceof ApiError && change.error.isStale) ? <Alert kind="error">{errorMessage(change.error)}</Alert> : null}
      {actions.map((action) =>
        action === 'edit' ? (
          <Link key={action} to={`/recurring/${profile.data.id}/edit`} className="button">
            Edit
          </Link>
        ) : (
          <button key={action} type="button" className="button" disabled={change.isPending} onClick={() => change.mutate(action)}>
            {action === 'pause' ? 'Pause' : 'Resume'}
          </button>
        ),
      )}
    </>
  );
}

function ScheduleCard({ profile: p }: { profile: RecurringProfile }) {
  return (
    <section className="card" aria-labelledby="schedule-title">
      <h2 id="schedule-title" className="card__title">
        Schedule
      </h2>
      <dl className="details">
        <div>
          <dt>Repeats</dt>
          <dd data-testid="schedule-words">{describeSchedule(p.schedule)}</dd>
        </div>
        <div>
          <dt>Starts</dt>
          <dd>{formatDate(p.schedule.startDate)}</dd>
        </div>
        <div>
          <dt>On each date</dt>
          <dd>{p.action === 'Draft' ? 'Creates a draft for review' : 'Finalizes and sends the invoice'}</dd>
        </div>
        <div>
          <dt>Next run</dt>
          <dd data-testid="next-run">{p.status === 'Active' && p.nextRunDate ? formatDate(p.nextRunDate) : p.status === 'Paused' ? 'Paused' : 'None: ended'}</dd>
        </div>
        <div>
          <dt>Invoices made</dt>
          <dd data-testid="invoices-made">{p.invoicesMade}</dd>
        </div>
      </dl>
    </section>
  );
}

function NextRunsCard({ profile: p }: { profile: RecurringProfile }) {
  return (
    <section className="card" aria-labelledby="next-title">
      <h2 id="next-title" className="card__title">
        Next invoices
      </h2>
      {p.nextRuns.length ? (
        <ol className="run-preview__dates" data-testid="next-runs">
          {p.nextRuns.map((date) => (
            <li key={date} data-date={date}>
              <time dateTime={date}>{formatDate(date)}</time>
            </li>
          ))}
        </ol>
      ) : (
        <p className="muted">{p.status === 'Paused' ? 'None while paused.' : 'None: the schedule has ended.'}</p>
      )}
    </section>
  );
}

function InvoiceCard({ profile: p }: { profile: RecurringProfile }) {
  const { invoice } = p;
  return (
    <section className="card" aria-labelledby="invoice-title">
      <h2 id="invoice-title" className="card__title">
        Each invoice
      </h2>
      <p>
        For <CustomerName id={invoice.customerId} />, due {invoice.paymentTermsDays ?? 0} days after its date.
      </p>
      <table className="table table--compact">
        <thead>
          <tr>
            <th scope="col">Description</th>
            <th scope="col" className="num">Quantity</th>
            <th scope="col" className="num">Unit price</th>
            <th scope="col" className="num">Amount</th>
          </tr>
        </thead>
        <tbody>
          {invoice.lines.map((line, i) => (
            <tr key={i}>
              <td dir="auto">{line.description}</td>
              <td className="num">{line.quantity}</td>
              <td className="num money">{formatMoney(line.unitPrice, invoice.currency)}</td>
              <td className="num money">{formatMoney(line.amount, invoice.currency)}</td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row" colSpan={3}>
              Total (with tax{invoice.discount.value ? ', after the discount' : ''})
            </th>
            <td className="num money" data-testid="profile-total">
              {formatMoney(invoice.total, invoice.currency)}
            </td>
          </tr>
        </tfoot>
      </table>
      {invoice.notes ? <p className="muted small" dir="auto">{invoice.notes}</p> : null}
    </section>
  );
}

function RunsCard({ profile: p }: { profile: RecurringProfile }) {
  const runs = [...p.runs].reverse();
  return (
    <section className="card" aria-labelledby="runs-title">
      <h2 id="runs-title" className="card__title">
        Invoices made
      </h2>
      {runs.length === 0 ? (
        <p className="muted">None yet{p.nextRunDate && p.status === 'Active' ? `: the first is made on ${formatDate(p.nextRunDate)}.` : '.'}</p>
      ) : (
        <table className="table table--compact" data-testid="runs">
          <thead>
            <tr>
              <th scope="col">Date</th>
              <th scope="col">Invoice</th>
              <th scope="col">Status</th>
            </tr>
          </thead>
          <tbody>
            {runs.map((run) => (
              <tr key={run.period} data-period={run.period}>
                <td>{formatDate(run.period)}</td>
                <td>
                  {run.skipped ? (
                    <span className="muted">Skipped (missed while paused or down)</span>
                  ) : run.invoiceId ? (
                    <Link to={`/invoices/${run.invoiceId}`}>{run.number ?? (run.status === 'Draft' ? 'Draft' : 'Invoice')}</Link>
                  ) : null}
                </td>
                <td>{run.status ? <StatusChip status={run.status} /> : null}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
