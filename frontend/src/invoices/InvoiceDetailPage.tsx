import { useEffect, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Link, useParams, useSearchParams } from 'react-router';
import type { Invoice, Settings, Versioned } from '../api/types';
import { useApi } from '../app/session';
import { useAbilities, useQueryKeys } from '../app/business';
import { usePageTitle } from '../app/usePageTitle';
import { formatDate, formatDateTime, formatMoney, formatNumber, formatPercent, userLocale } from '../format/format';
import { isCurrency, minorDigits } from '../money/currencies';
import { Alert, ErrorState, Loading } from '../ui/feedback';
import { StatusChip } from '../ui/StatusChip';
import { DeleteDraftDialog } from './InvoicesPage';
import { PdfButton, SendDialog } from './documents';
import { InvoiceTimeline } from './InvoiceTimeline';
import { methodLabel } from './timeline';
import { awaitsPayment, ReminderDialog, ReminderSwitch } from './reminders';
import { deliverySettled } from './deliveryText';
import { FinalizeDialog, PaymentDialog, VoidDialog } from './actions';
import { CreditNoteDialog } from '../creditNotes/CreditNoteDialog';
import { invoiceActions, type InvoiceAction } from '../team/roles';
import { languageLabel } from '../format/documentLanguage';

type Action = 'finalize' | 'pay' | 'void' | 'send' | 'remind' | 'delete' | 'credit' | null;

export function InvoiceDetailPage() {
  const { invoiceId = '' } = useParams();
  const api = useApi();
  const keys = useQueryKeys();
  const [params, setParams] = useSearchParams();
  const invoice = useQuery({
    queryKey: keys.invoice(invoiceId),
    queryFn: ({ signal }) => api.getInvoice(invoiceId, signal),
    // While an e-mail is on its way or the PDF of this version is being rendered, watch (for a few minutes at most).
    refetchInterval: (query) => (query.state.dataUpdateCount < 90 && documentsBusy(query.state.data?.data) ? 2000 : false),
  });
  const settings = useQuery({ queryKey: keys.settings, queryFn: ({ signal }) => api.getSettings(signal) });
  const [action, setAction] = useState<Action>(null);
  const [stale, setStale] = useState(false);
  const can = useAbilities();

  usePageTitle(invoice.data?.data.number ?? (invoice.data ? 'Draft invoice' : 'Invoice'));

  useEffect(() => {
    if (params.get('pay') === '1' && can.write && invoice.data && ['Open', 'PartiallyPaid'].includes(invoice.data.data.status)) {
      setAction('pay');
      const next = new URLSearchParams(params);
      next.delete('pay');
      setParams(next, { replace: true });
    }
  }, [params, setParams, invoice.data, can.write]);

  if (invoice.isPending) return <div className="page"><Loading lines={10} label="Loading the invoice…" /></div>;
  if (invoice.isError) return <div className="page"><ErrorState error={invoice.error} onRetry={() => invoice.refetch()} /></div>;

  const current = invoice.data;
  const inv = current.data;
  const onStale = () => setStale(true);
  const close = () => setAction(null);

  return (
    <div className="page">
      <p className="breadcrumb">
        <Link to="/invoices">Invoices</Link>
      </p>
      <div className="page__header">
        <h1>
          {inv.number ? `Invoice ${inv.number}` : 'Draft invoice'} <StatusChip status={inv.status} overdue={inv.overdue} daysOverdue={inv.daysOverdue} />
        </h1>
        <div className="page__actions">
          <Actions invoice={current} onAction={setAction} />
        </div>
      </div>

      {stale ? (
        <Alert
          kind="warning"
          title="This invoice was changed somewhere else"
          actions={
            <button
              type="button"
              className="button"
              onClick={async () => {
                await invoice.refetch();
                setStale(false);
              }}
            >
              Reload
            </button>
          }
        >
          Someone (or another tab) changed it after you opened it, so nothing was done. Reload to see the latest version, then try again.
        </Alert>
      ) : null}
      {inv.status === 'Void' ? (
        <Alert kind="info" title={`Voided ${inv.voidedAt ? formatDateTime(inv.voidedAt) : ''}`}>
          {inv.voidReason ?? 'No reason given.'}
        </Alert>
      ) : null}
      {inv.status === 'Draft' ? (
        <Alert kind="info">
          This is a draft: it has no number yet and can still change.
          {can.write ? (
            <>
              {' '}
              Finalize it to give it the next number
              {settings.data ? ` (${settings.data.data.nextInvoiceNumber})` : ''} and send it.
            </>
          ) : null}
        </Alert>
      ) : null}

      <InvoiceDocument invoice={inv} settings={settings.data?.data} />

      <div className="grid-2">
        <section className="card" aria-labelledby="payments-title">
          <h2 id="payments-title" className="card__title">
            Payments
          </h2>
          {inv.payments.length ? (
            <table className="table table--compact">
              <thead>
                <tr>
                  <th scope="col">Date</th>
                  <th scope="col">Method</th>
                  <th scope="col">Note</th>
                  <th scope="col" className="num">
                    Amount
                  </th>
                </tr>
              </thead>
              <tbody>
                {inv.payments.map((p) => (
                  <tr key={p.id}>
                    <td>{formatDate(p.date)}</td>
                    <td>{methodLabel(p.method)}</td>
                    <td>{p.note ?? ''}</td>
                    <td className="num money">{formatMoney(p.amount, inv.currency)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : (
            <p className="muted">{inv.status === 'Draft' ? 'Payments can be recorded once the invoice is finalized.' : 'No payment recorded yet.'}</p>
          )}
          {can.write && (inv.status === 'Open' || inv.status === 'PartiallyPaid') ? (
            <button type="button" className="button" onClick={() => setAction('pay')}>
              Record a payment
            </button>
          ) : null}
        </section>
        <section className="card" aria-labelledby="credit-notes-title">
          <h2 id="credit-notes-title" className="card__title">
            Credit notes
          </h2>
          {inv.credits?.length ? (
            <table className="table table--compact" data-testid="invoice-credits">
              <thead>
                <tr>
                  <th scope="col">Number</th>
                  <th scope="col">Issued</th>
                  <th scope="col" className="num">
                    Amount
                  </th>
                </tr>
              </thead>
              <tbody>
                {inv.credits.map((c) => (
                  <tr key={c.creditNoteId}>
                    <td>
                      <Link to={`/credit-notes/${c.creditNoteId}`}>{c.number}</Link>
                    </td>
                    <td>{formatDate(c.issuedAt.slice(0, 10))}</td>
                    <td className="num money">{formatMoney(c.amount, inv.currency)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : (
            <p className="muted">
              {inv.status === 'Draft' || inv.status === 'Void'
                ? 'Credit notes correct finalized invoices.'
                : 'None yet. A credit note corrects this invoice: it credits some of its lines or an amount, and lowers what is due.'}
            </p>
          )}
          {can.write && ['Open', 'PartiallyPaid', 'Paid'].includes(inv.status) && (inv.creditedTotal ?? 0) < inv.totals.total ? (
            <button type="button" className="button" onClick={() => setAction('credit')}>
              Issue credit note
            </button>
          ) : null}
        </section>
        <section className="card" aria-labelledby="deliveries-title">
          <h2 id="deliveries-title" className="card__title">
            History
          </h2>
          <InvoiceTimeline invoice={inv} />
          {can.write && awaitsPayment(inv) ? (
            <div className="reminders">
              <ReminderSwitch invoice={current} planEnabled={settings.data?.data.reminders?.enabled} canChangePlan={can.settings} onStale={onStale} />
              <button type="button" className="button" onClick={() => setAction('remind')}>
                Send a reminder now
              </button>
            </div>
          ) : null}
        </section>
      </div>

      <FinalizeDialog open={action === 'finalize'} invoice={current} nextNumber={settings.data?.data.nextInvoiceNumber} onClose={close} onStale={onStale} />
      <PaymentDialog open={action === 'pay'} invoice={current} onClose={close} onStale={onStale} />
      <VoidDialog open={action === 'void'} invoice={current} onClose={close} onStale={onStale} />
      <SendDialog open={action === 'send'} invoice={current} onClose={close} onStale={onStale} />
      <ReminderDialog open={action === 'remind'} invoice={current} onClose={close} />
      <CreditNoteDialog open={action === 'credit'} invoice={current} onClose={close} />
      <DeleteDraftDialog
        invoice={action === 'delete' ? { id: inv.id, customerName: inv.customer.name, version: inv.version } : null}
        onClose={close}
      />
    </div>
  );
}

function documentsBusy(invoice?: Invoice): boolean {
  if (!invoice) return false;
  const sending = invoice.deliveries?.some((d) => !deliverySettled(d)) ?? false;
  const rendering = invoice.status !== 'Draft' && invoice.document !== undefined && invoice.document.version !== invoice.version;
  return sending || rendering;
}

/** The invoice's buttons: those its status offers, of those the user's role allows (roles.ts decides both). */
function Actions(props: { invoice: Versioned<Invoice>; onAction: (action: Action) => void }) {
  const inv = props.invoice.data;
  const act = props.onAction;
  const can = useAbilities();
  const button = (action: InvoiceAction) => {
    switch (action) {
      case 'delete':
        return (
          <button key={action} type="button" className="button button--danger-ghost" onClick={() => act('delete')}>
            Delete
          </button>
        );
      case 'void':
        return (
          <button key={action} type="button" className="button button--danger-ghost" onClick={() => act('void')}>
            Void
          </button>
        );
      case 'edit':
      case 'editNotes':
        return (
          <Link key={action} to={`/invoices/${inv.id}/edit`} className="button">
            {action === 'edit' ? 'Edit' : 'Edit notes or due date'}
          </Link>
        );
      case 'pdf':
        return <PdfButton key={action} invoice={inv} />;
      case 'send':
      case 'sendAgain':
        return (
          <button key={action} type="button" className="button" onClick={() => act('send')}>
            {action === 'send' ? 'Send' : 'Send again'}
          </button>
        );
      case 'finalize':
        return (
          <button key={action} type="button" className="button button--primary" onClick={() => act('finalize')}>
            Finalize
          </button>
        );
      case 'pay':
        return (
          <button key={action} type="button" className="button button--primary" onClick={() => act('pay')}>
            Record payment
          </button>
        );
    }
  };
  return <>{invoiceActions(inv.status, can).map(button)}</>;
}

export { methodLabel };

function AddressLines(props: { address?: { line1?: string; line2?: string; postalCode?: string; city?: string; region?: string; country?: string } }) {
  const a = props.address;
  if (!a) return null;
  const cityLine = [a.postalCode, a.city].filter(Boolean).join(' ');
  return (
    <>
      {[a.line1, a.line2, cityLine, a.region, a.country].filter(Boolean).map((line, i) => (
        <span key={i} className="address__line" dir="auto">
          {line}
        </span>
      ))}
    </>
  );
}

/**
 * The document as the PDF lays it out: an invoice, or (kind quote) a quote in the invoice's shape, whose due date is its
 * valid-until date and which has no payments or balance.
 */
export function InvoiceDocument(props: { invoice: Invoice; settings?: Settings; kind?: 'invoice' | 'quote' }) {
  const { invoice: inv, settings } = props;
  const quote = props.kind === 'quote';
  const can = useAbilities();
  const t = inv.totals;
  const money = (n: number) => formatMoney(n, inv.currency);
  return (
    <article className="card document" aria-label={quote ? 'The quote' : 'The invoice'}>
      <div className="document__parties">
        <div>
          <h2 className="document__label">From</h2>
          <address className="address">
            <strong dir="auto">{settings?.businessName || (can.settings ? <Link to="/settings">Add your business details</Link> : 'No business name yet')}</strong>
            <AddressLines address={settings?.address} />
            {settings?.taxId ? <span className="address__line">Tax id {settings.taxId}</span> : null}
          </address>
        </div>
        <div>
          <h2 className="document__label">Bill to</h2>
          <address className="address">
            <strong dir="auto">{inv.customer.name}</strong>
            {inv.customer.language ? <span className="address__line muted">Invoice language: {languageLabel(inv.customer.language)}</span> : null}
            <AddressLines address={inv.customer.address} />
            {inv.customer.email ? <span className="address__line">{inv.customer.email}</span> : null}
            {inv.customer.taxId ? <span className="address__line">Tax id {inv.customer.taxId}</span> : null}
          </address>
        </div>
        <dl className="document__dates">
          <div>
            <dt>Number</dt>
            <dd>{inv.number ?? '— (draft)'}</dd>
          </div>
          <div>
            <dt>Issued</dt>
            <dd>{formatDate(inv.issueDate)}</dd>
          </div>
          <div>
            <dt>{quote ? 'Valid until' : 'Due'}</dt>
            <dd>
              {formatDate(inv.dueDate)}
              {!quote && inv.paymentTermsDays !== undefined ? <span className="muted small"> ({inv.paymentTermsDays} days)</span> : null}
            </dd>
          </div>
          {inv.paidDate ? (
            <div>
              <dt>Paid</dt>
              <dd>{formatDate(inv.paidDate)}</dd>
            </div>
          ) : null}
        </dl>
      </div>

      <div className="table-wrap">
        <table className="table document__lines">
          <thead>
            <tr>
              <th scope="col">Description</th>
              <th scope="col" className="num">
                Qty
              </th>
              <th scope="col" className="num">
                Unit price
              </th>
              <th scope="col" className="num">
                Discount
              </th>
              <th scope="col" className="num">
                Tax
              </th>
              <th scope="col" className="num">
                Amount
              </th>
            </tr>
          </thead>
          <tbody>
            {inv.lines.map((line, i) => (
              <tr key={i}>
                <td className="document__description" dir="auto">{line.description}</td>
                <td className="num" data-label="Qty">{formatNumber(line.quantity)}</td>
                <td className="num money" data-label="at">{formatUnitPrice(line.unitPrice, inv.currency)}</td>
                <td className={line.discountPercent ? 'num' : 'num document__empty'} data-label="less">
                  {line.discountPercent ? formatPercent(line.discountPercent) : ''}
                </td>
                <td className="num" data-label="tax">{formatPercent(line.taxRatePercent)}</td>
                <td className="num money document__amount">{money(line.amount)}</td>
              </tr>
            ))}
            {inv.lines.length === 0 ? (
              <tr>
                <td colSpan={6} className="muted">
                  No lines yet.
                </td>
              </tr>
            ) : null}
          </tbody>
        </table>
      </div>

      <div className="document__footer">
        <div className="document__notes">{inv.notes ? <p className="notes">{inv.notes}</p> : null}</div>
        <dl className="totals__list" data-testid="invoice-totals">
          <div>
            <dt>Subtotal</dt>
            <dd className="money" data-testid="invoice-subtotal">{money(t.subtotal)}</dd>
          </div>
          {t.discount > 0 ? (
            <div>
              <dt>Discount{inv.discount.kind === 'Percent' ? ` (${formatPercent(inv.discount.value)})` : ''}</dt>
              <dd className="money" data-testid="invoice-discount">−{money(t.discount)}</dd>
            </div>
          ) : null}
          {t.taxes
            .filter((x) => x.ratePercent > 0)
            .map((x) => (
              <div key={x.ratePercent}>
                <dt>
                  Tax {formatPercent(x.ratePercent)} <span className="muted small">on {money(x.taxable)}</span>
                </dt>
                <dd className="money" data-testid={`invoice-tax-${x.ratePercent}`}>{money(x.tax)}</dd>
              </div>
            ))}
          <div className="totals__total">
            <dt>Total</dt>
            <dd className="money" data-testid="invoice-total">{money(t.total)}</dd>
          </div>
          {t.amountPaid > 0 ? (
            <div>
              <dt>Paid</dt>
              <dd className="money" data-testid="invoice-paid">−{money(t.amountPaid)}</dd>
            </div>
          ) : null}
          {!quote && inv.creditedTotal ? (
            <div>
              <dt>Credited</dt>
              <dd className="money" data-testid="invoice-credited">−{money(inv.creditedTotal)}</dd>
            </div>
          ) : null}
          {!quote && inv.status !== 'Draft' && inv.status !== 'Void' ? (
            <div className="totals__due">
              <dt>Balance due</dt>
              <dd className="money" data-testid="invoice-balance">{money(t.balanceDue)}</dd>
            </div>
          ) : null}
          {!quote && inv.owedToCustomer ? (
            <div>
              <dt>Owed to customer</dt>
              <dd className="money" data-testid="invoice-owed">{money(inv.owedToCustomer)}</dd>
            </div>
          ) : null}
        </dl>
      </div>
    </article>
  );
}

/** Unit prices may carry more decimals than the currency (up to 4): show them all. */
function formatUnitPrice(price: number, currency: string): string {
  const decimals = (String(price).split('.')[1] ?? '').length;
  if (!isCurrency(currency) || decimals <= minorDigits(currency)) return formatMoney(price, currency);
  return new Intl.NumberFormat(userLocale(), { style: 'currency', currency, minimumFractionDigits: decimals, maximumFractionDigits: decimals }).format(price);
}

