// The invoice's state changes: finalize, record a payment, void. Each sends the ETag it was loaded with, so a
// change made elsewhere meanwhile is never overwritten (412 → the page's reload banner).
import { useRef } from 'react';
import { useForm } from 'react-hook-form';
import { ApiError, newIdempotencyKey } from '../api/client';
import type { Invoice, PaymentInput, PaymentMethod, Versioned } from '../api/types';
import { useApi } from '../app/session';
import { formatMoney, localToday, parseDecimalInput } from '../format/format';
import { minorDigits } from '../money/currencies';
import { dec } from '../money/totals';
import { Dialog } from '../ui/Dialog';
import { Alert, errorMessage } from '../ui/feedback';
import { SelectField, TextAreaField, TextField } from '../ui/fields';
import { applyServerErrors } from '../ui/serverErrors';
import { useInvoiceMutation } from './useInvoiceMutation';

interface DialogProps {
  open: boolean;
  invoice: Versioned<Invoice>;
  onClose: () => void;
  onStale: () => void;
}

function ErrorLine(props: { error: unknown }) {
  if (!props.error || (props.error instanceof ApiError && props.error.isStale)) return null;
  return <Alert kind="error">{errorMessage(props.error)}</Alert>;
}

export function FinalizeDialog(props: DialogProps & { nextNumber?: string }) {
  const api = useApi();
  const { invoice } = props;
  const finalize = useInvoiceMutation(invoice, () => api.finalizeInvoice(invoice.data.id, invoice.etag), {
    onDone: props.onClose,
    onStale: props.onStale,
    success: 'The invoice is finalized.',
  });
  const close = () => {
    finalize.reset();
    props.onClose();
  };
  return (
    <Dialog open={props.open} title="Finalize this invoice?" onClose={close}>
      <p>
        It gets the next invoice number{props.nextNumber ? <> (<strong>{props.nextNumber}</strong>)</> : null}, the customer&apos;s details are fixed
        as they are now, and its lines can no longer change. It can then be sent, paid or voided, but never deleted.
      </p>
      <ErrorLine error={finalize.error} />
      <div className="dialog__actions">
        <button type="button" className="button" onClick={close}>
          Not yet
        </button>
        <button type="button" className="button button--primary" disabled={finalize.isPending} onClick={() => finalize.mutate(undefined)}>
          {finalize.isPending ? 'Finalizing…' : 'Finalize'}
        </button>
      </div>
    </Dialog>
  );
}

interface PaymentForm {
  amount: string;
  date: string;
  method: PaymentMethod;
  note: string;
}

export function PaymentDialog(props: DialogProps) {
  const { invoice } = props;
  const inv = invoice.data;
  return (
    <Dialog open={props.open} title={`Record a payment${inv.number ? ` for ${inv.number}` : ''}`} onClose={props.onClose}>
      <PaymentFormBody key={invoice.etag} {...props} />
    </Dialog>
  );
}

function PaymentFormBody(props: DialogProps) {
  const api = useApi();
  const { invoice } = props;
  const inv = invoice.data;
  const idempotencyKey = useRef(newIdempotencyKey());
  const balance = dec(inv.totals.balanceDue).toFixed(minorDigits(inv.currency));
  const { register, handleSubmit, setError, formState } = useForm<PaymentForm>({
    defaultValues: { amount: balance, date: localToday(), method: 'BankTransfer', note: '' },
  });
  const pay = useInvoiceMutation(invoice, (input: PaymentInput) => api.recordPayment(inv.id, input, idempotencyKey.current, invoice.etag), {
    onDone: props.onClose,
    onStale: props.onStale,
    success: 'The payment is recorded.',
  });
  const submit = handleSubmit((values) => {
    const amount = parseDecimalInput(values.amount);
    if (amount === null) {
      setError('amount', { type: 'local', message: 'Enter an amount, e.g. 250.00.' }, { shouldFocus: true });
      return;
    }
    pay.mutate(
      { amount: Number(amount), date: values.date || undefined, method: values.method, note: values.note.trim() || undefined },
      { onError: (error) => applyServerErrors(error, setError, (path) => (['amount', 'date', 'method', 'note'].includes(path) ? path : null)) },
    );
  });
  const e = formState.errors;
  return (
    <form className="stack" noValidate onSubmit={submit}>
      <p>
        Balance due: <strong className="money">{formatMoney(inv.totals.balanceDue, inv.currency)}</strong>. A payment may be partial; it cannot be more than
        the balance.
      </p>
      <ErrorLine error={pay.error} />
      <div className="form-grid">
        <TextField label={`Amount (${inv.currency})`} inputMode="decimal" error={e.amount?.message} {...register('amount')} />
        <TextField label="Date received" type="date" error={e.date?.message} {...register('date')} />
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
        <button type="submit" className="button button--primary" disabled={pay.isPending}>
          {pay.isPending ? 'Recording…' : 'Record payment'}
        </button>
      </div>
    </form>
  );
}

export function VoidDialog(props: DialogProps) {
  const api = useApi();
  const { invoice } = props;
  const { register, handleSubmit, setError, formState, reset } = useForm<{ reason: string }>({ defaultValues: { reason: '' } });
  const voiding = useInvoiceMutation(invoice, (reason: string) => api.voidInvoice(invoice.data.id, reason.trim() || undefined, invoice.etag), {
    onDone: props.onClose,
    onStale: props.onStale,
    success: 'The invoice is void.',
  });
  const close = () => {
    voiding.reset();
    reset();
    props.onClose();
  };
  return (
    <Dialog open={props.open} title={`Void ${invoice.data.number ?? 'this invoice'}?`} onClose={close}>
      <form
        className="stack"
        noValidate
        onSubmit={handleSubmit(({ reason }) =>
          voiding.mutate(reason, { onError: (error) => applyServerErrors(error, setError, (path) => (path === 'reason' ? 'reason' : null)) }),
        )}
      >
        <p>A void invoice keeps its number (numbers stay gapless) but no longer counts as owed. This cannot be undone.</p>
        <ErrorLine error={voiding.error} />
        <TextAreaField label="Reason (optional)" rows={3} hint="Shown with the invoice." error={formState.errors.reason?.message} {...register('reason')} />
        <div className="dialog__actions">
          <button type="button" className="button" onClick={close}>
            Keep it
          </button>
          <button type="submit" className="button button--danger" disabled={voiding.isPending}>
            Void invoice
          </button>
        </div>
      </form>
    </Dialog>
  );
}
