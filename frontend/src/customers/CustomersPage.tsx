import { useEffect, useState, type ReactNode } from 'react';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { ApiError } from '../api/client';
import { ImportCustomersDialog } from './ImportCustomers';
import { customerChanged } from '../api/queries';
import type { Customer, Versioned } from '../api/types';
import { useApi } from '../app/session';
import { useAbilities, useQueryKeys } from '../app/business';
import { usePageTitle } from '../app/usePageTitle';
import { Dialog } from '../ui/Dialog';
import { ActivityList } from '../activity/ActivityList';
import { Alert, EmptyState, ErrorState, Loading, errorMessage, useToast } from '../ui/feedback';
import { TextField } from '../ui/fields';
import { CustomerForm } from './CustomerForm';

const PAGE_SIZE = 25;

export function CustomersPage() {
  usePageTitle('Customers');
  const api = useApi();
  const keys = useQueryKeys();
  const navigate = useNavigate();
  const toast = useToast();
  const { customerId } = useParams();
  const [params, setParams] = useSearchParams();
  const can = useAbilities();
  const adding = params.get('new') === '1' && can.write;
  const [search, setSearch] = useState('');
  const [q, setQ] = useState('');
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const [deleting, setDeleting] = useState<Customer | null>(null);

  useEffect(() => {
    const timer = setTimeout(() => {
      setQ(search.trim());
      setCursors([undefined]);
    }, 300);
    return () => clearTimeout(timer);
  }, [search]);

  const query = { q: q || undefined, limit: PAGE_SIZE, cursor: cursors[cursors.length - 1] };
  const customers = useQuery({
    queryKey: keys.customers(query),
    queryFn: ({ signal }) => api.listCustomers(query, signal),
    placeholderData: keepPreviousData,
  });
  const editing = useQuery({
    queryKey: keys.customer(customerId ?? ''),
    queryFn: ({ signal }) => api.getCustomer(customerId!, signal),
    enabled: Boolean(customerId),
  });

  const closeAdd = () => {
    const next = new URLSearchParams(params);
    next.delete('new');
    setParams(next, { replace: true });
  };
  const items = customers.data?.items ?? [];
  const [importing, setImporting] = useState(false);

  return (
    <div className="page">
      <div className="page__header">
        <h1>Customers</h1>
        {can.write ? (
          <div className="page__actions">
            <button type="button" className="button" onClick={() => setImporting(true)}>
              Import
            </button>
            <button type="button" className="button button--primary" onClick={() => setParams({ new: '1' })}>
              Add customer
            </button>
          </div>
        ) : null}
      </div>
      <ImportCustomersDialog open={importing} onClose={() => setImporting(false)} />
      <form className="filters" role="search" aria-label="Search customers" onSubmit={(e) => e.preventDefault()}>
        <TextField
          label="Search"
          type="search"
          placeholder="Name, e-mail, phone or tax id"
          value={search}
          onChange={(e) => setSearch(e.target.value)}
          wrapperClassName="filters__search"
        />
      </form>

      {customers.isPending ? (
        <Loading lines={5} label="Loading customers…" />
      ) : customers.isError ? (
        <ErrorState error={customers.error} onRetry={() => customers.refetch()} />
      ) : items.length === 0 && cursors.length === 1 ? (
        q ? (
          <EmptyState title="No customer matches">Try another name, e-mail address or tax id.</EmptyState>
        ) : (
          <EmptyState
            title="No customers yet"
            actions={
              can.write ? (
                <button type="button" className="button button--primary" onClick={() => setParams({ new: '1' })}>
                  Add your first customer
                </button>
              ) : null
            }
          >
            Customers are who you bill: their name, address and e-mail go on the invoices you send them.
          </EmptyState>
        )
      ) : (
        <>
          <div className="table-wrap" aria-busy={customers.isFetching}>
            <table className="table table--cards">
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">E-mail</th>
                  <th scope="col">City</th>
                  <th scope="col" className="num">
                    Invoices
                  </th>
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {items.map((c) => (
                  <tr key={c.id}>
                    <td data-label="Name">
                      <Link to={`/customers/${c.id}`} className="strong-link" dir="auto">
                        {c.name}
                      </Link>
                    </td>
                    <td data-label="E-mail">{c.email ?? <span className="muted">—</span>}</td>
                    <td data-label="City" dir="auto">{c.address?.city ?? <span className="muted">—</span>}</td>
                    <td data-label="Invoices" className="num">
                      {c.invoiceCount > 0 ? <Link to={`/invoices?customerId=${c.id}`}>{c.invoiceCount}</Link> : 0}
                    </td>
                    <td className="row-actions">
                      {can.write ? (
                        <>
                          <Link to={`/invoices/new?customerId=${c.id}`} className="button button--small" aria-label={`New invoice for ${c.name}`}>
                            New invoice
                          </Link>
                          <Link to={`/customers/${c.id}`} className="button button--small" aria-label={`Edit ${c.name}`}>
                            Edit
                          </Link>
                          <button type="button" className="button button--small button--danger-ghost" aria-label={`Delete ${c.name}`} onClick={() => setDeleting(c)}>
                            Delete
                          </button>
                        </>
                      ) : (
                        <Link to={`/customers/${c.id}`} className="button button--small button--ghost" aria-label={`View ${c.name}`}>
                          View
                        </Link>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <nav className="pager" aria-label="Pages">
            <button type="button" className="button" disabled={cursors.length === 1} onClick={() => setCursors((c) => c.slice(0, -1))}>
              Previous
            </button>
            <span className="muted">Page {cursors.length}</span>
            <button type="button" className="button" disabled={!customers.data?.nextCursor} onClick={() => setCursors((c) => [...c, customers.data?.nextCursor])}>
              Next
            </button>
          </nav>
        </>
      )}

      <Dialog open={adding} title="Add a customer" onClose={closeAdd} wide>
        <CustomerForm
          onCancel={closeAdd}
          onSaved={(saved) => {
            toast(`${saved.data.name} is added.`);
            closeAdd();
          }}
        />
      </Dialog>
      <Dialog
        open={Boolean(customerId)}
        title={editing.data ? (can.write ? `Edit ${editing.data.data.name}` : editing.data.data.name) : can.write ? 'Edit customer' : 'Customer'}
        onClose={() => navigate('/customers')}
        wide
      >
        {editing.isPending ? (
          <Loading lines={4} />
        ) : editing.isError ? (
          <ErrorState error={editing.error} />
        ) : !can.write ? (
          <CustomerDetails customer={editing.data} onClose={() => navigate('/customers')} />
        ) : (
          <>
            <CustomerForm
              customer={editing.data}
              onCancel={() => navigate('/customers')}
              onReload={() => editing.refetch()}
              onSaved={(saved) => {
                toast(`${saved.data.name} is saved.`);
                navigate('/customers');
              }}
            />
            <CustomerHistory customerId={editing.data.data.id} />
          </>
        )}
      </Dialog>
      <DeleteCustomerDialog customer={deleting} onClose={() => setDeleting(null)} />
    </div>
  );
}

function DeleteCustomerDialog(props: { customer: Customer | null; onClose: () => void }) {
  const api = useApi();
  const queryClient = useQueryClient();
  const toast = useToast();
  const remove = useMutation({
    mutationFn: (c: Customer) => api.deleteCustomer(c.id, `"${c.version}"`),
    onSuccess: (_, c) => {
      customerChanged(queryClient);
      toast(`${c.name} is deleted.`);
      props.onClose();
    },
  });
  const close = () => {
    remove.reset();
    props.onClose();
  };
  const conflict = remove.error instanceof ApiError && remove.error.isConflict;
  const c = props.customer;
  return (
    <Dialog open={Boolean(c)} title={`Delete ${c?.name ?? 'customer'}?`} onClose={close}>
      {conflict ? (
        <Alert kind="warning" title="This customer is kept">
          {/* The API's own explanation (how many invoices, what can be done); a general one if it gave none. */}
          <p>
            {remove.error instanceof ApiError && remove.error.problem.detail
              ? remove.error.problem.detail
              : 'Invoices keep their customer so they stay complete. Delete the customer’s drafts first; a customer with a finalized invoice stays for good.'}
          </p>
        </Alert>
      ) : remove.isError ? (
        <Alert kind="error">{errorMessage(remove.error)}</Alert>
      ) : (
        <p>{c?.name} will be removed from your customers.</p>
      )}
      <div className="dialog__actions">
        {conflict && c ? (
          <Link to={`/invoices?customerId=${c.id}`} className="button" onClick={close}>
            Show their invoices
          </Link>
        ) : null}
        <button type="button" className="button" onClick={close}>
          {conflict ? 'OK' : 'Cancel'}
        </button>
        {!conflict ? (
          <button type="button" className="button button--danger" disabled={remove.isPending} onClick={() => c && remove.mutate(c)}>
            Delete customer
          </button>
        ) : null}
      </div>
    </Dialog>
  );
}

/** A customer as a role that reads but does not change sees it. */
function CustomerDetails(props: { customer: Versioned<Customer>; onClose: () => void }) {
  const c = props.customer.data;
  const a = c.address ?? {};
  const address = [a.line1, a.line2, [a.postalCode, a.city].filter(Boolean).join(' '), a.region, a.country].filter(Boolean);
  const rows: [string, ReactNode][] = [
    ['E-mail address', c.email],
    ['Phone', c.phone],
    ['Address', address.length ? address.map((line, i) => <span key={i} className="address__line">{line}</span>) : undefined],
    ['Tax id', c.taxId],
    ['Invoices', c.invoiceCount > 0 ? <Link to={`/invoices?customerId=${c.id}`}>{c.invoiceCount}</Link> : '0'],
  ];
  return (
    <div className="stack">
      <dl className="details">
        {rows.map(([label, value]) => (
          <div key={label}>
            <dt>{label}</dt>
            <dd>{value ?? <span className="muted">—</span>}</dd>
          </div>
        ))}
      </dl>
      <CustomerHistory customerId={c.id} />
      <div className="dialog__actions">
        <button type="button" className="button" onClick={props.onClose}>
          OK
        </button>
      </div>
    </div>
  );
}

/** The customer's history (the change feed): created, each change of their details with before and after. */
export function CustomerHistory(props: { customerId: string }) {
  return (
    <section className="customer-history" aria-labelledby="customer-history-title">
      <h3 id="customer-history-title" className="card__subtitle">
        History
      </h3>
      <ActivityList entity="customer" id={props.customerId} />
    </section>
  );
}
