import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate, useParams } from 'react-router';
import { ApiError } from '../api/client';
import { invoiceChanged, quoteChanged } from '../api/queries';
import type { Quote, Versioned } from '../api/types';
import { useAbilities, useQueryKeys } from '../app/business';
import { useApi } from '../app/session';
import { usePageTitle } from '../app/usePageTitle';
import { formatDate, formatDateTime } from '../format/format';
import { DeliveryRecipients, SendEmailForm } from '../invoices/documents';
import { deliverySettled, deliveryStatusText } from '../invoices/deliveryText';
import { InvoiceDocument } from '../invoices/InvoiceDetailPage';
import { quoteActions, type QuoteAction } from '../team/roles';
import { Dialog } from '../ui/Dialog';
import { Alert, ErrorState, Loading, errorMessage, useToast } from '../ui/feedback';
import { quoteAsDocument } from './quoteForm';
import { QuoteStatusChip } from './QuoteStatusChip';

export function QuoteDetailPage() {
  const { quoteId = '' } = useParams();
  const api = useApi();
  const keys = useQueryKeys();
  const quote = useQuery({
    queryKey: keys.quote(quoteId),
    queryFn: ({ signal }) => api.getQuote(quoteId, signal),
    // While its e-mail is on its way, watch (a few minutes at most); the customer's answer shows on the next visit.
    refetchInterval: (query) => (query.state.dataUpdateCount < 90 && (query.state.data?.data.deliveries?.some((d) => !deliverySettled(d)) ?? false) ? 2000 : false),
  });
  const settings = useQuery({ queryKey: keys.settings, queryFn: ({ signal }) => api.getSettings(signal) });
  const [action, setAction] = useState<QuoteAction | null>(null);
  const [stale, setStale] = useState(false);
  usePageTitle(quote.data?.data.number ? `Quote ${quote.data.data.number}` : 'Draft quote');

  if (quote.isPending) return <div className="page"><Loading lines={10} label="Loading the quote…" /></div>;
  if (quote.isError) return <div className="page"><ErrorState error={quote.error} onRetry={() => quote.refetch()} /></div>;
  const current = quote.data;
  const q = current.data;
  const close = () => setAction(null);

  return (
    <div className="page">
      <p className="breadcrumb">
        <Link to="/quotes">Quotes</Link>
      </p>
      <div className="page__header">
        <h1>
          {q.number ? `Quote ${q.number}` : 'Draft quote'} <QuoteStatusChip status={q.status} />
        </h1>
        <div className="page__actions">
          <Actions quote={current} onAction={setAction} />
        </div>
      </div>
      {stale ? (
        <Alert kind="warning" title="This quote was changed somewhere else" actions={<button type="button" className="button" onClick={async () => { await quote.refetch(); setStale(false); }}>Reload</button>}>
          Someone (or another tab) changed it after you opened it, so nothing was done. Reload to see the latest version, then try again.
        </Alert>
      ) : null}
      <Standing quote={q} nextNumber={settings.data?.data.nextQuoteNumber} />
      <InvoiceDocument invoice={quoteAsDocument(q)} settings={settings.data?.data} kind="quote" />
      <section className="card" aria-labelledby="quote-history-title">
        <h2 id="quote-history-title" className="card__title">
          History
        </h2>
        <History quote={q} />
      </section>

      <Dialog open={action === 'send' || action === 'sendAgain'} title={`Send ${q.number ?? 'the quote'} by e-mail`} onClose={close} wide>
        <SendQuoteForm quote={current} onClose={close} onStale={() => setStale(true)} />
      </Dialog>
      <ConfirmDialog quote={current} action={action} onClose={close} onStale={() => setStale(true)} />
    </div>
  );
}

/** Where the quote stands, in a sentence: what the customer did, and what comes next. */
function Standing(props: { quote: Quote; nextNumber?: string }) {
  const q = props.quote;
  switch (q.status) {
    case 'Draft':
      return <Alert kind="info">This is a draft: it gets its number{props.nextNumber ? ` (${props.nextNumber})` : ''} when you send it.</Alert>;
    case 'Sent':
      return (
        <Alert kind="info" title={q.viewedAt ? `Viewed ${formatDateTime(q.viewedAt)}` : 'Not opened yet'}>
          The customer can accept or decline it on its page until {formatDate(q.validUntil)}.
          {q.linksRevokedAt ? ` Links sent until ${formatDateTime(q.linksRevokedAt)} were withdrawn.` : ''}
        </Alert>
      );
    case 'Accepted':
      return (
        <Alert kind="success" title={`Accepted by ${q.acceptedBy ?? 'the customer'}`}>
          On {q.acceptedAt ? formatDateTime(q.acceptedAt) : '—'}. Convert it into an invoice when you are ready to bill.
        </Alert>
      );
    case 'Declined':
      return <Alert kind="warning" title="Declined">The customer declined it on {q.declinedAt ? formatDateTime(q.declinedAt) : '—'}.</Alert>;
    case 'Expired':
      return <Alert kind="info" title="Expired">It was valid until {formatDate(q.validUntil)}. Make a new quote to offer it again.</Alert>;
    case 'Converted':
      return (
        <Alert kind="success" title="Converted into an invoice">
          Accepted by {q.acceptedBy ?? 'the customer'}{q.acceptedAt ? ` on ${formatDateTime(q.acceptedAt)}` : ''}.{' '}
          {q.invoiceId ? <Link to={`/invoices/${q.invoiceId}`}>Open the invoice</Link> : null}
        </Alert>
      );
  }
}

function History(props: { quote: Quote }) {
  const q = props.quote;
  const events: { at: string; text: string }[] = [{ at: q.createdAt, text: 'Created as a draft' }];
  if (q.sentAt) events.push({ at: q.sentAt, text: `Sent as ${q.number}` });
  if (q.viewedAt) events.push({ at: q.viewedAt, text: 'Viewed by the customer' });
  if (q.acceptedAt) events.push({ at: q.acceptedAt, text: `Accepted by ${q.acceptedBy ?? 'the customer'}` });
  if (q.declinedAt) events.push({ at: q.declinedAt, text: 'Declined by the customer' });
  if (q.linksRevokedAt) events.push({ at: q.linksRevokedAt, text: 'Links withdrawn' });
  if (q.convertedAt) events.push({ at: q.convertedAt, text: 'Converted into an invoice' });
  events.sort((a, b) => a.at.localeCompare(b.at));
  return (
    <>
      <ol className="quote-history" aria-label="What happened">
        {events.map((e) => (
          <li key={`${e.at}-${e.text}`}>
            <span>{e.text}</span> <span className="muted small">{formatDateTime(e.at)}</span>
          </li>
        ))}
      </ol>
      {q.deliveries?.length ? (
        <ul className="quote-emails" aria-label="E-mails">
          {q.deliveries.map((d) => (
            <li key={d.requestId} className="quote-email">
              <strong>{deliveryStatusText[d.status]}</strong> <span className="muted small">{formatDateTime(d.requestedAt)}</span>
              <DeliveryRecipients delivery={d} />
            </li>
          ))}
        </ul>
      ) : null}
    </>
  );
}

function Actions(props: { quote: Versioned<Quote>; onAction: (action: QuoteAction) => void }) {
  const q = props.quote.data;
  const can = useAbilities();
  const labels: Record<QuoteAction, string> = {
    delete: 'Delete',
    edit: 'Edit',
    send: 'Send',
    sendAgain: 'Send again',
    convert: 'Convert to invoice',
    revokeLinks: 'Withdraw links',
  };
  return (
    <>
      {quoteActions(q.status, can, (q.deliveries?.length ?? 0) > 0).map((action) =>
        action === 'edit' ? (
          <Link key={action} to={`/quotes/${q.id}/edit`} className="button">
            Edit
          </Link>
        ) : (
          <button
            key={action}
            type="button"
            className={action === 'delete' || action === 'revokeLinks' ? 'button button--danger-ghost' : action === 'send' || action === 'convert' ? 'button button--primary' : 'button'}
            onClick={() => props.onAction(action)}
          >
            {labels[action]}
          </button>
        ),
      )}
    </>
  );
}

function SendQuoteForm(props: { quote: Versioned<Quote>; onClose: () => void; onStale: () => void }) {
  const api = useApi();
  const keys = useQueryKeys();
  const toast = useToast();
  const queryClient = useQueryClient();
  const q = props.quote.data;
  return (
    <SendEmailForm
      defaultTo={q.customer.email ?? ''}
      intro={`The quote goes out as a PDF with a link to its page, where the customer accepts or declines it.${q.status === 'Draft' ? ' Sending a draft gives it its number; it can no longer change.' : ''}`}
      subjectHint="Without one: the quote number and your business name."
      send={(input, key) => api.sendQuote(q.id, input, key)}
      onSent={(saved) => {
        quoteChanged(queryClient, keys, saved);
        toast(q.status === 'Draft' ? `Sent as ${saved.data.number}.` : 'The quote is on its way.');
      }}
      onClose={props.onClose}
      onStale={props.onStale}
    />
  );
}

/** Delete a draft, convert an accepted quote, withdraw the links: one confirmation each. */
function ConfirmDialog(props: { quote: Versioned<Quote>; action: QuoteAction | null; onClose: () => void; onStale: () => void }) {
  const api = useApi();
  const keys = useQueryKeys();
  const toast = useToast();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const q = props.quote.data;
  const run = useMutation({
    mutationFn: async (action: QuoteAction) => {
      if (action === 'delete') {
        await api.deleteQuote(q.id, props.quote.etag);
        void queryClient.invalidateQueries({ queryKey: keys.quotes, exact: true });
        toast('The draft is deleted.');
        navigate('/quotes');
      } else if (action === 'convert') {
        const invoice = await api.convertQuote(q.id);
        invoiceChanged(queryClient, keys, invoice);
        void queryClient.invalidateQueries({ queryKey: keys.quotes });
        toast('The quote is now a draft invoice.');
        navigate(`/invoices/${invoice.data.id}`);
      } else if (action === 'revokeLinks') {
        quoteChanged(queryClient, keys, await api.revokeQuoteLinks(q.id));
        toast('The links sent so far no longer work.');
      }
    },
    onSuccess: () => props.onClose(),
    onError: (error) => {
      if (error instanceof ApiError && error.isStale) {
        props.onStale();
        props.onClose();
      }
    },
  });
  const close = () => {
    run.reset();
    props.onClose();
  };
  const texts: Partial<Record<QuoteAction, { title: string; body: string; button: string }>> = {
    delete: { title: 'Delete this draft?', body: 'The draft quote will be gone for good. Sent quotes are kept.', button: 'Delete draft' },
    convert: {
      title: 'Convert into an invoice?',
      body: 'A draft invoice is made with the quote’s customer, lines, discount and notes, dated today. A quote converts once.',
      button: 'Convert to invoice',
    },
    revokeLinks: {
      title: 'Withdraw the links?',
      body: 'Every link to this quote’s page e-mailed so far stops working: the customer can no longer open, accept or decline it through them. Sending it again makes a new link.',
      button: 'Withdraw links',
    },
  };
  const text = props.action ? texts[props.action] : undefined;
  return (
    <Dialog open={Boolean(text)} title={text?.title ?? ''} onClose={close}>
      <p>{text?.body}</p>
      {run.isError ? <Alert kind="error">{errorMessage(run.error)}</Alert> : null}
      <div className="dialog__actions">
        <button type="button" className="button" onClick={close}>
          Cancel
        </button>
        <button
          type="button"
          className={props.action === 'convert' ? 'button button--primary' : 'button button--danger'}
          disabled={run.isPending}
          onClick={() => props.action && run.mutate(props.action)}
        >
          {text?.button}
        </button>
      </div>
    </Dialog>
  );
}
