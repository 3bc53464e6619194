import { useEffect, useMemo, useState } from 'react';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { invoiceChanged } from '../api/queries';
import type { InvoiceQuery, InvoiceSummary, StatusFilter } from '../api/types';
import { useApi } from '../app/session';
import { useAbilities, useQueryKeys } from '../app/business';
import { usePageTitle } from '../app/usePageTitle';
import { formatDate, formatMoney } from '../format/format';
import { Dialog } from '../ui/Dialog';
import { Alert, EmptyState, ErrorState, Loading, errorMessage, useToast } from '../ui/feedback';
import { SelectField, TextField } from '../ui/fields';
import { StatusChip } from '../ui/StatusChip';

const PAGE_SIZE = 20;

const statusOptions: { value: string; label: string }[] = [
  { value: '', label: 'All statuses' },
  { value: 'draft', label: 'Draft' },
  { value: 'open,partiallypaid', label: 'Awaiting payment' },
  { value: 'open', label: 'Open' },
  { value: 'partiallypaid', label: 'Partially paid' },
  { value: 'overdue', label: 'Overdue' },
  { value: 'paid', label: 'Paid' },
  { value: 'void', label: 'Void' },
];

function useDebounced<T>(value: T, ms: number): T {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return debounced;
}

export function InvoicesPage() {
  usePageTitle('Invoices');
  const api = useApi();
  const keys = useQueryKeys();
  const [params, setParams] = useSearchParams();
  const status = params.get('status') ?? '';
  const customerId = params.get('customerId') ?? '';
  const from = params.get('from') ?? '';
  const to = params.get('to') ?? '';
  const [search, setSearch] = useState(params.get('q') ?? '');
  const q = useDebounced(search.trim(), 300);
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);

  const setParam = (name: string, value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(name, value);
    else next.delete(name);
    setParams(next, { replace: true });
  };

  useEffect(() => {
    if ((params.get('q') ?? '') !== q) setParam('q', q);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [q]);

  const filterKey = `${status}|${customerId}|${from}|${to}|${q}`;
  useEffect(() => setCursors([undefined]), [filterKey]);

  const query: InvoiceQuery = useMemo(
    () => ({
      status: status ? (status.split(',') as StatusFilter[]) : undefined,
      customerId: customerId || undefined,
      from: from || undefined,
      to: to || undefined,
      q: q || undefined,
      limit: PAGE_SIZE,
      cursor: cursors[cursors.length - 1],
    }),
    [status, customerId, from, to, q, cursors],
  );
  const invoices = useQuery({
    queryKey: keys.invoices(query),
    queryFn: ({ signal }) => api.listInvoices(query, signal),
    placeholderData: keepPreviousData,
  });
  const customer = useQuery({
    queryKey: keys.customer(customerId),
    queryFn: ({ signal }) => api.getCustomer(customerId, signal),
    enabled: Boolean(customerId),
  });
  const filtered = Boolean(status || customerId || from || to || q);
  const items = invoices.data?.items ?? [];
  const can = useAbilities();

  return (
    <div className="page">
      <div className="page__header">
        <h1>Invoices</h1>
        {can.write ? (
          <div className="page__actions">
            <Link to="/invoices/new" className="button button--primary">
              New invoice
            </Link>
          </div>
        ) : null}
      </div>

      <form className="filters" role="search" aria-label="Filter invoices" onSubmit={(e) => e.preventDefault()}>
        <TextField
          label="Search"
          type="search"
          placeholder="Number or customer"
          value={search}
          onChange={(e) => setSearch(e.target.value)}
          wrapperClassName="filters__search"
        />
        <SelectField label="Status" value={status} onChange={(e) => setParam('status', e.target.value)}>
          {statusOptions.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </SelectField>
        <TextField label="Issued from" type="date" value={from} onChange={(e) => setParam('from', e.target.value)} />
        <TextField label="Issued to" type="date" value={to} onChange={(e) => setParam('to', e.target.value)} />
      </form>
      {customerId ? (
        <p className="active-filter">
          Customer: <strong>{customer.data?.data.name ?? '…'}</strong>{' '}
          <button type="button" className="button button--link" onClick={() => setParam('customerId', '')}>
            Show all customers
          </button>
        </p>
      ) : null}

      {invoices.isPending ? (
        <Loading lines={6} label="Loading invoices…" />
      ) : invoices.isError ? (
        <ErrorState error={invoices.error} onRetry={() => invoices.refetch()} />
      ) : items.length === 0 && cursors.length === 1 ? (
        filtered ? (
          <EmptyState title="No invoices match">Try another search or status.</EmptyState>
        ) : (
          <EmptyState
            title="No invoices yet"
            actions={
              can.write ? (
                <Link to="/invoices/new" className="button button--primary">
                  Create your first invoice
                </Link>
              ) : null
            }
          >
            {can.write ? 'Invoices start as drafts; finalizing one gives it its number.' : 'The invoices of this business appear here once someone creates them.'}
          </EmptyState>
        )
      ) : (
        <>
          <InvoiceTable items={items} busy={invoices.isFetching} />
          <nav className="pager" aria-label="Pages">
            <button type="button" className="button" disabled={cursors.length === 1} onClick={() => setCursors((c) => c.slice(0, -1))}>
              Previous
            </button>
            <span className="muted">Page {cursors.length}</span>
            <button
              type="button"
              className="button"
              disabled={!invoices.data?.nextCursor}
              onClick={() => setCursors((c) => [...c, invoices.data?.nextCursor])}
            >
              Next
            </button>
          </nav>
        </>
      )}
    </div>
  );
}

function InvoiceTable(props: { items: InvoiceSummary[]; busy: boolean }) {
  const [deleting, setDeleting] = useState<InvoiceSummary | null>(null);
  return (
    <>
      <div className="table-wrap" aria-busy={props.busy}>
        <table className="table table--cards table--invoices">
          <thead>
            <tr>
              <th scope="col">Number</th>
              <th scope="col">Customer</th>
              <th scope="col">Issued</th>
              <th scope="col">Due</th>
              <th scope="col">Status</th>
              <th scope="col" className="num">
                Total
              </th>
              <th scope="col" className="num">
                Balance due
              </th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {props.items.map((invoice) => (
              <tr key={invoice.id}>
                <td data-label="Number">
                  <Link to={`/invoices/${invoice.id}`} className="strong-link">
                    {invoice.number ?? 'Draft'}
                  </Link>
                </td>
                <td data-label="Customer" dir="auto">{invoice.customerName}</td>
                <td data-label="Issued">{formatDate(invoice.issueDate)}</td>
                <td data-label="Due">{formatDate(invoice.dueDate)}</td>
                <td data-label="Status">
                  <StatusChip status={invoice.status} overdue={invoice.overdue} />
                </td>
                <td data-label="Total" className="num money">
                  {formatMoney(invoice.total, invoice.currency)}
                </td>
                <td data-label="Balance due" className="num money">
                  {formatMoney(invoice.balanceDue, invoice.currency)}
                </td>
                <td className="row-actions">
                  <RowActions invoice={invoice} onDelete={() => setDeleting(invoice)} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <DeleteDraftDialog invoice={deleting} onClose={() => setDeleting(null)} />
    </>
  );
}

function RowActions(props: { invoice: InvoiceSummary; onDelete: () => void }) {
  const { invoice } = props;
  const can = useAbilities();
  const label = invoice.number ?? `draft for ${invoice.customerName}`;
  if (can.write && invoice.status === 'Draft')
    return (
      <>
        <Link to={`/invoices/${invoice.id}/edit`} className="button button--small" aria-label={`Edit ${label}`}>
          Edit
        </Link>
        <button type="button" className="button button--small button--danger-ghost" aria-label={`Delete ${label}`} onClick={props.onDelete}>
          Delete
        </button>
      </>
    );
  if (can.write && (invoice.status === 'Open' || invoice.status === 'PartiallyPaid'))
    return (
      <Link to={`/invoices/${invoice.id}?pay=1`} className="button button--small" aria-label={`Record a payment for ${label}`}>
        Record payment
      </Link>
    );
  return (
    <Link to={`/invoices/${invoice.id}`} className="button button--small button--ghost" aria-label={`View ${label}`}>
      View
    </Link>
  );
}

export function DeleteDraftDialog(props: { invoice: { id: string; customerName?: string; version: number } | null; onClose: () => void; onDeleted?: () => void }) {
  const api = useApi();
  const keys = useQueryKeys();
  const queryClient = useQueryClient();
  const toast = useToast();
  const navigate = useNavigate();
  const remove = useMutation({
    mutationFn: (invoice: { id: string; version: number }) => api.deleteInvoice(invoice.id, `"${invoice.version}"`),
    onSuccess: () => {
      invoiceChanged(queryClient, keys);
      toast('The draft is deleted.');
      props.onClose();
      if (props.onDeleted) props.onDeleted();
      else navigate('/invoices');
    },
  });
  const close = () => {
    remove.reset();
    props.onClose();
  };
  return (
    <Dialog open={Boolean(props.invoice)} title="Delete this draft?" onClose={close}>
      <p>The draft{props.invoice?.customerName ? ` for ${props.invoice.customerName}` : ''} will be gone for good. Finalized invoices are never deleted, only voided.</p>
      {remove.isError ? <Alert kind="error">{errorMessage(remove.error)}</Alert> : null}
      <div className="dialog__actions">
        <button type="button" className="button" onClick={close}>
          Keep it
        </button>
        <button type="button" className="button button--danger" disabled={remove.isPending} onClick={() => props.invoice && remove.mutate(props.invoice)}>
          Delete draft
        </button>
      </div>
    </Dialog>
  );
}
