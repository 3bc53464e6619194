import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { useForm } from 'react-hook-form';
import { Link, useParams } from 'react-router';
import { ApiError, newIdempotencyKey } from '../api/client';
import type { CreditNote, PaymentMethod, Versioned } from '../api/types';
import { useAbilities, useQueryKeys } from '../app/business';
import { useApi } from '../app/session';
import { usePageTitle } from '../app/usePageTitle';
import { formatDate, formatDateTime, formatMoney, formatNumber, formatPercent, localToday, parseDecimalInput } from '../format/format';
import { DeliveryRecipients, PdfButton, SendEmailForm } from '../invoices/documents';
import { deliverySettled, deliveryStatusText } from '../invoices/deliveryText';
import { methodLabel } from '../invoices/timeline';
import { Dialog } from '../ui/Dialog';
import { Alert, ErrorState, Loading, errorMessage, useToast } from '../ui/feedback';
import { SelectField, TextField } from '../ui/fields';
import { applyServerErrors } from '../ui/serverErrors';

export function CreditNoteDetailPage() {
  const { creditNoteId = '' } = useParams();
  const api = useApi();
  const keys = useQueryKeys();
  const can = useAbilities();
  const [refunding, setRefunding] = useState(false);
  const [sending, setSending] = useState(false);
  const note = useQuery({
    queryKey: keys.creditNote(creditNoteId),
    queryFn: ({ signal }) => api.getCreditNote(creditNoteId, signal),
    // While its e-mail is on its way, watch (a few minutes at most).
    refetchInterval: (query) => (query.state.dataUpdateCount < 90 && (query.state.data?.data.deliveries?.some((d) => !deliverySettled(d)) ?? false) ? 2000 : false),
  });
  usePageTitle(note.data?.data.number ?? 'Credit note');
  if (note.isPending) return <div className="page"><Loading lines={8} label="Loading the credit note…" /></div>;
  if (note.isError) return <div className="page"><ErrorState error={note.error} onRetry={() => note.refetch()} /></div>;
  const cn = note.data.data;
  const money = (value: number) => formatMoney(value, cn.currency);
  return (
    <div className="page">
      <div className="page__header">
        <div>
          <p className="muted">
            <Link to="/credit-notes">Credit notes</Link>
          </p>
          <h1>Credit note {cn.number}</h1>
        </div>
        <div className="page__actions">
          <PdfButton invoice={cn} load={(id) => api.getCreditNotePdf(id)} />
          {can.write ? (
            <button type="button" className="button" onClick={() => setSending(true)}>
              Send by e-mail
            </button>
          ) : null}
          {can.write && cn.owedToCustomer > 0 ? (
            <button type="button" className="button button--primary" onClick={() => setRefunding(true)}>
              Record a refund
            </button>
          ) : null}
        </div>
      </div>
      <section className="card" aria-labelledby="credit-note-title">
        <h2 id="credit-note-title" className="card__title">
          Credits invoice <Link to={`/invoices/${cn.invoiceId}`}>{cn.invoiceNumber}</Link>
        </h2>
        <dl className="credit-note__facts">
          <div>
            <dt>Customer</dt>
            <dd dir="auto">{cn.customer.name}</dd>
          </div>
          <div>
            <dt>Issued</dt>
            <dd>{formatDate(cn.issueDate)}</dd>
          </div>
          <div>
            <dt>Reason</dt>
            <dd dir="auto">{cn.reason}</dd>
          </div>
          <div>
            <dt>Owed to the customer</dt>
            <dd className="money" data-testid="credit-note-owed">{money(cn.owedToCustomer)}</dd>
          </div>
        </dl>
        <div className="table-wrap">
          <table className="table table--compact">
            <thead>
              <tr>
                <th scope="col">Description</th>
                <th scope="col" className="num">Quantity</th>
                <th scope="col" className="num">Unit price</th>
                <th scope="col" className="num">Tax</th>
                <th scope="col" className="num">Amount</th>
              </tr>
            </thead>
            <tbody>
              {cn.lines.map((line, i) => (
                <tr key={i}>
                  <td dir="auto">{line.description}</td>
                  <td className="num">{formatNumber(line.quantity)}</td>
                  <td className="num money">{money(line.unitPrice)}</td>
                  <td className="num">{formatPercent(line.taxRatePercent)}</td>
                  <td className="num money">{money(line.amount)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <dl className="totals__list" data-testid="credit-note-totals">
          <div>
            <dt>Subtotal</dt>
            <dd className="money">{money(cn.totals.subtotal)}</dd>
          </div>
          {cn.totals.discount ? (
            <div>
              <dt>Discount</dt>
              <dd className="money">−{money(cn.totals.discount)}</dd>
            </div>
          ) : null}
          {cn.totals.taxes.map((t) => (
            <div key={t.ratePercent}>
              <dt>Tax {formatPercent(t.ratePercent)}</dt>
              <dd className="money">{money(t.tax)}</dd>
            </div>
          ))}
          <div className="totals__total">
            <dt>Credited</dt>
            <dd className="money" data-testid="credit-note-total">{money(cn.total)}</dd>
          </div>
        </dl>
      </section>
      <section className="card" aria-labelledby="credit-note-emails-title">
        <h2 id="credit-note-emails-title" className="card__title">
          E-mails
        </h2>
        {cn.deliveries?.length ? (
          <ul className="quote-emails" aria-label="E-mails" data-testid="credit-note-emails">
            {cn.deliveries.map((d) => (
              <li key={d.requestId} className="quote-email">
                <strong>{deliveryStatusText[d.status]}</strong> <span className="muted small">{formatDateTime(d.requestedAt)}</span>
                <DeliveryRecipients delivery={d} />
              </li>
            ))}
          </ul>
        ) : (
          <p className="muted">Not e-mailed yet.</p>
        )}
      </section>
      <Dialog open={sending} title={`Send ${cn.number} by e-mail`} onClose={() => setSending(false)} wide>
        <SendCreditNoteForm note={note.data} onClose={() => setSending(false)} />
      </Dialog>
      <section className="card" aria-labelledby="refunds-title">
        <h2 id="refunds-title" className="card__title">
          Refunds
        </h2>
        {cn.refunds.length ? (
          <table className="table table--compact">
            <thead>
              <tr>
                <th scope="col">Date</th>
                <th scope="col">Method</th>
                <th scope="col">Note</th>
                <th scope="col" className="num">Amount</th>
              </tr>
            </thead>
            <tbody>
              {cn.refunds.map((r) => (
                <tr key={r.id}>
                  <td>{formatDate(r.date)}</td>
                  <td>{methodLabel(r.method)}</td>
                  <td>{r.note ?? ''}</td>
                  <td className="num money">{money(r.amount)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : (
          <p className="muted">
            {cn.owed > 0 ? 'No refund recorded yet.' : 'This credit note only lowered what the invoice still asked for: nothing is owed back.'}
          </p>
        )}
      </section>
      <RefundDialog open={refunding} note={note.data} onClose={() => setRefunding(false)} />
    </div>
  );
}

interface RefundForm {
  amount: string;
  date: string;
  method: PaymentMethod;
  note: string;
}

function RefundDialog(props: { open: boolean; note: Versioned<CreditNote>; onClose: () => void }) {
  const cn = props.note.data;
  return (
    <Dialog open={props.open} title={`Record a refund for ${cn.number}`} onClose={props.onClose}>
      {props.open ? <RefundFormBody key={props.note.etag} {...props} /> : null}
    </Dialog>
  );
}

function RefundFormBody(props: { note: Versioned<CreditNote>; onClose: () => void }) {
  const api = useApi();
  const keys = useQueryKeys();
  const queryClient = useQueryClient();
  const toast = useToast();
  const cn = props.note.data;
  const idempotencyKey = useRef(newIdempotencyKey());
  const { register, handleSubmit, setError, formState } = useForm<RefundForm>({
    defaultValues: { amount: String(cn.owedToCustomer), date: localToday(), method: 'BankTransfer', note: '' },
  });
  const refund = useMutation({
    mutationFn: (input: { amount: number; date?: string; method: PaymentMethod; note?: string }) => api.recordCreditNoteRefund(cn.id, input, idempotencyKey.current),
    onSuccess: (saved) => {
      queryClient.setQueryData(keys.creditNote(cn.id), saved);
      void queryClient.invalidateQueries({ queryKey: keys.creditNotes });
      void queryClient.invalidateQueries({ queryKey: keys.invoice(cn.invoiceId) });
      void queryClient.invalidateQueries({ queryKey: keys.dashboard });
      toast('The refund is recorded.');
      props.onClose();
    },
  });
  const submit = handleSubmit((values) => {
    const amount = parseDecimalInput(values.amount);
    if (amount === null) {
      setError('amount', { type: 'local', message: 'Enter an amount, e.g. 25.00.' }, { shouldFocus: true });
      return;
    }
    refund.mutate(
      { amount: Number(amount), date: values.date || undefined, method: values.method, note: values.note.trim() || undefined },
      { onError: (error) => applyServerErrors(error, setError, (path) => (['amount', 'date', 'method', 'note'].includes(path) ? path : null)) },
    );
  });
  const e = formState.errors;
  return (
    <form className="stack" noValidate onSubmit={submit}>
      <p>
        Still owed to the customer: <strong className="money">{formatMoney(cn.owedToCustomer, cn.currency)}</strong>. A refund cannot be more.
      </p>
      {refund.error && !(refund.error instanceof ApiError && Object.keys(refund.error.fieldErrors).length) ? <Alert kind="error">{errorMessage(refund.error)}</Alert> : null}
      <div className="form-grid">
        <TextField label={`Amount (${cn.currency})`} inputMode="decimal" error={e.amount?.message} {...register('amount')} />
        <TextField label="Date paid back" type="date" error={e.date?.message} {...register('date')} />
        <SelectField label="Method" error={e.method?.message} {...register('method')}>
          <option value="BankTransfer">Bank transfer</option>
          <option value="Card">Card</option>
          <option value="Cash">Cash</option>
          <option value="Check">Check</option>
          <option value="Other">Other</option>
        </SelectField>
        <TextField label="Note" placeholder="e.g. bank reference" error={e.note?.message} {...register('note')} />
      </div>
      <div className="dialog__actions">
        <button type="button" className="button" onClick={props.onClose}>
          Cancel
        </button>
        <button type="submit" className="button button--primary" disabled={refund.isPending}>
          {refund.isPending ? 'Recording…' : 'Record refund'}
        </button>
      </div>
    </form>
  );
}

/** The credit note by e-mail: to the customer by default, with the PDF attached (the invoice's send form). */
function SendCreditNoteForm(props: { note: Versioned<CreditNote>; onClose: () => void }) {
  const api = useApi();
  const keys = useQueryKeys();
  const toast = useToast();
  const queryClient = useQueryClient();
  const cn = props.note.data;
  return (
    <SendEmailForm
      defaultTo={cn.customer.email ?? ''}
      intro="The credit note goes out as a PDF: it names the invoice it credits, the reason and what is owed to the customer."
      subjectHint="Without one: the credit note number and your business name."
      send={(input, key) => api.sendCreditNote(cn.id, input, key)}
      onSent={(saved) => {
        queryClient.setQueryData(keys.creditNote(cn.id), saved);
        toast('The credit note is on its way.');
      }}
      onClose={props.onClose}
      onStale={props.onClose}
    />
  );
}
