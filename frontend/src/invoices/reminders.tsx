// Payment reminders on the invoice page: the plan's automatic reminders on or off for this invoice, and a reminder now.
import { useEffect, useRef, useState } from 'react';
import { useForm } from 'react-hook-form';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Link } from 'react-router';
import { ApiError, newIdempotencyKey } from '../api/client';
import { invoiceChanged } from '../api/queries';
import type { Invoice, SendInput, Versioned } from '../api/types';
import { useApi } from '../app/session';
import { useQueryKeys } from '../app/business';
import { Dialog } from '../ui/Dialog';
import { Alert, errorMessage, useToast } from '../ui/feedback';
import { TextAreaField, TextField } from '../ui/fields';
import { applyServerErrors } from '../ui/serverErrors';

/** An invoice the customer still owes: reminders make sense. */
export const awaitsPayment = (invoice: Invoice) => (invoice.status === 'Open' || invoice.status === 'PartiallyPaid') && invoice.totals.balanceDue > 0;

/** "Automatic reminders" for this invoice: a switch (the plan itself lives in Settings → Reminders). */
export function ReminderSwitch(props: { invoice: Versioned<Invoice>; planEnabled?: boolean; canChangePlan: boolean; onStale: () => void }) {
  const api = useApi();
  const keys = useQueryKeys();
  const queryClient = useQueryClient();
  const toast = useToast();
  const inv = props.invoice.data;
  const saved = inv.remindersEnabled !== false;
  // The box follows the click at once; a refusal puts it back.
  const [enabled, setEnabled] = useState(saved);
  useEffect(() => setEnabled(saved), [saved]);
  const change = useMutation({
    mutationFn: (on: boolean) => api.setInvoiceReminders(inv.id, on, props.invoice.etag),
    onSuccess: (result) => {
      invoiceChanged(queryClient, keys, result);
      toast(result.data.remindersEnabled === false ? 'No automatic reminders for this invoice.' : 'Automatic reminders are on for this invoice.');
    },
    onError: (error) => {
      setEnabled(saved);
      if (error instanceof ApiError && error.isStale) props.onStale();
    },
  });
  return (
    <div className="reminder-switch">
      <label className="checkbox">
        <input
          type="checkbox"
          checked={enabled}
          disabled={change.isPending}
          onChange={(e) => {
            setEnabled(e.target.checked);
            change.mutate(e.target.checked);
          }}
        />
        Automatic payment reminders for this invoice
      </label>
      {props.planEnabled === false ? (
        <p className="muted small">
          The reminder plan is off, so none are sent automatically.
          {props.canChangePlan ? (
            <>
              {' '}
              <Link to="/settings/reminders">Set up reminders</Link>
            </>
          ) : null}
        </p>
      ) : null}
      {change.isError && !(change.error instanceof ApiError && change.error.isStale) ? <Alert kind="error">{errorMessage(change.error)}</Alert> : null}
    </div>
  );
}

interface ReminderForm {
  to: string;
  subject: string;
  message: string;
}

export function ReminderDialog(props: { open: boolean; invoice: Versioned<Invoice>; onClose: () => void }) {
  return (
    <Dialog open={props.open} title={`Send a reminder of ${props.invoice.data.number ?? 'the invoice'}`} onClose={props.onClose} wide>
      <ReminderFormBody key={props.invoice.etag} {...props} />
    </Dialog>
  );
}

function ReminderFormBody(props: { invoice: Versioned<Invoice>; onClose: () => void }) {
  const api = useApi();
  const keys = useQueryKeys();
  const toast = useToast();
  const queryClient = useQueryClient();
  const inv = props.invoice.data;
  const idempotencyKey = useRef(newIdempotencyKey());
  const { register, handleSubmit, setError, formState } = useForm<ReminderForm>({
    defaultValues: { to: inv.customer.email ?? '', subject: '', message: '' },
  });
  const remind = useMutation({
    mutationFn: (input: SendInput) => api.sendReminder(inv.id, input, idempotencyKey.current),
    onSuccess: (saved) => {
      invoiceChanged(queryClient, keys, saved);
      toast('The reminder is on its way.');
      props.onClose();
    },
    onError: (error) =>
      applyServerErrors(error, setError, (path) => {
        const field = path.split('.')[0];
        return ['to', 'subject', 'message'].includes(field) ? field : null;
      }),
  });
  const submit = handleSubmit((values) => {
    const to = values.to
      .split(/[,;\s]+/)
      .map((a) => a.trim())
      .filter(Boolean);
    remind.mutate({ to: to.length ? to : undefined, subject: values.subject.trim() || undefined, message: values.message.trim() || undefined });
  });
  const e = formState.errors;
  return (
    <form className="stack" noValidate onSubmit={submit}>
      <p>
        The customer gets the current PDF and the balance due. Leave the subject and message empty to use the words of your reminder plan.
      </p>
      {remind.isError ? <Alert kind="error">{errorMessage(remind.error)}</Alert> : null}
      <TextField label="To" type="text" inputMode="email" autoComplete="off" error={e.to?.message} {...register('to')} />
      <TextField label="Subject (optional)" error={e.subject?.message} {...register('subject')} />
      <TextAreaField label="Message (optional)" rows={5} error={e.message?.message} {...register('message')} />
      <div className="dialog__actions">
        <button type="button" className="button" onClick={props.onClose}>
          Cancel
        </button>
        <button type="submit" className="button button--primary" disabled={remind.isPending}>
          {remind.isPending ? 'Sending…' : 'Send reminder'}
        </button>
      </div>
    </form>
  );
}
