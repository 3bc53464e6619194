// The documents pipeline as the owner sees it: send the invoice by e-mail (queued: 202), follow each delivery,
// and download the PDF (a short-lived link; 409 while the PDF for the latest version is still being rendered).
import { useRef, useState } from 'react';
import { useForm } from 'react-hook-form';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { ApiError, newIdempotencyKey } from '../api/client';
import { invoiceChanged } from '../api/queries';
import type { Delivery, Invoice, InvoicePdf, SendInput, Versioned } from '../api/types';
import { useApi } from '../app/session';
import { useQueryKeys } from '../app/business';
import { recipientsOf, recipientText } from './deliveryText';
import { Dialog } from '../ui/Dialog';
import { Alert, errorMessage, useToast } from '../ui/feedback';
import { TextAreaField, TextField } from '../ui/fields';
import { applyServerErrors } from '../ui/serverErrors';

const addressList = (text: string) =>
  text
    .split(/[,;\s]+/)
    .map((a) => a.trim())
    .filter(Boolean);

interface SendForm {
  to: string;
  cc: string;
  subject: string;
  message: string;
}

export function SendDialog(props: { open: boolean; invoice: Versioned<Invoice>; onClose: () => void; onStale: () => void }) {
  const api = useApi();
  const keys = useQueryKeys();
  const toast = useToast();
  const queryClient = useQueryClient();
  const inv = props.invoice.data;
  return (
    <Dialog open={props.open} title={`Send ${inv.number ?? 'the invoice'} by e-mail`} onClose={props.onClose} wide>
      <SendEmailForm
        key={props.invoice.etag}
        defaultTo={inv.customer.email ?? ''}
        intro={`The invoice goes out as a PDF attachment. Separate several addresses with commas.${
          inv.status === 'Draft' ? ' Sending a draft finalizes it first: it gets its number and its lines can no longer change.' : ''}`}
        subjectHint="Without one: the invoice number and your business name."
        send={(input, key) => api.sendInvoice(inv.id, input, key, props.invoice.etag)}
        onSent={(saved) => {
          invoiceChanged(queryClient, keys, saved);
          toast(inv.status === 'Draft' ? `Finalized as ${saved.data.number} and on its way.` : 'The invoice is on its way.');
        }}
        onClose={props.onClose}
        onStale={props.onStale}
      />
    </Dialog>
  );
}

/** The e-mail form of every document sent through the pipeline (invoices, quotes): recipients, subject, message. */
export function SendEmailForm<T>(props: {
  defaultTo: string;
  intro: string;
  subjectHint: string;
  send: (input: SendInput, idempotencyKey: string) => Promise<T>;
  onSent: (saved: T) => void;
  onClose: () => void;
  onStale: () => void;
}) {
  const idempotencyKey = useRef(newIdempotencyKey());
  const { register, handleSubmit, setError, formState } = useForm<SendForm>({
    defaultValues: { to: props.defaultTo, cc: '', subject: '', message: '' },
  });
  const send = useMutation({
    mutationFn: (input: SendInput) => props.send(input, idempotencyKey.current),
    onSuccess: (saved) => {
      props.onSent(saved);
      props.onClose();
    },
    onError: (error) => {
      if (error instanceof ApiError && error.isStale) {
        props.onStale();
        props.onClose();
        return;
      }
      applyServerErrors(error, setError, (path) => {
        const field = path.split('.')[0];
        return ['to', 'cc', 'subject', 'message'].includes(field) ? field : null;
      });
    },
  });
  const submit = handleSubmit((values) => {
    const to = addressList(values.to);
    if (!to.length) {
      setError('to', { type: 'local', message: 'Enter at least one e-mail address.' }, { shouldFocus: true });
      return;
    }
    send.mutate({
      to,
      cc: addressList(values.cc).length ? addressList(values.cc) : undefined,
      subject: values.subject.trim() || undefined,
      message: values.message.trim() || undefined,
    });
  });
  const e = formState.errors;
  return (
    <form className="stack" noValidate onSubmit={submit}>
      <p>{props.intro}</p>
      {send.isError && !(send.error instanceof ApiError && send.error.isStale) ? <Alert kind="error">{errorMessage(send.error)}</Alert> : null}
      <TextField label="To" type="text" inputMode="email" autoComplete="off" error={e.to?.message} {...register('to')} />
      <TextField label="Cc (optional)" type="text" inputMode="email" autoComplete="off" error={e.cc?.message} {...register('cc')} />
      <TextField label="Subject (optional)" hint={props.subjectHint} error={e.subject?.message} {...register('subject')} />
      <TextAreaField label="Message (optional)" rows={5} error={e.message?.message} {...register('message')} />
      <div className="dialog__actions">
        <button type="button" className="button" onClick={props.onClose}>
          Cancel
        </button>
        <button type="submit" className="button button--primary" disabled={send.isPending}>
          {send.isPending ? 'Sending…' : 'Send'}
        </button>
      </div>
    </form>
  );
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Download PDF: the invoice's, or (with <code>load</code>) another document's, e.g. a credit note's. */
export function PdfButton(props: { invoice: Pick<Invoice, 'id'>; load?: (id: string) => Promise<InvoicePdf> }) {
  const api = useApi();
  const [state, setState] = useState<{ busy: boolean; error?: string; link?: string }>({ busy: false });
  const download = async () => {
    setState({ busy: true });
    // The PDF of a version is rendered moments after it is written: wait for it a little (409 meanwhile).
    for (let attempt = 0; ; attempt++) {
      try {
        const pdf = await (props.load ?? ((id: string) => api.getInvoicePdf(id)))(props.invoice.id);
        const opened = window.open(pdf.url, '_blank');
        if (opened) opened.opener = null;
        setState({ busy: false, link: opened ? undefined : pdf.url });
        return;
      } catch (error) {
        if (error instanceof ApiError && error.status === 409 && attempt < 10) {
          await sleep(1000);
          continue;
        }
        setState({ busy: false, error: error instanceof ApiError && error.status === 409 ? 'The PDF is still being prepared. Try again in a moment.' : errorMessage(error) });
        return;
      }
    }
  };
  return (
    <span className="pdf">
      <button type="button" className="button" onClick={download} disabled={state.busy} aria-describedby={state.error ? `pdf-error-${props.invoice.id}` : undefined}>
        {state.busy ? 'Preparing PDF…' : 'Download PDF'}
      </button>
      {state.link ? (
        <a href={state.link} target="_blank" rel="noopener" className="pdf__link">
          Open the PDF
        </a>
      ) : null}
      {state.error ? (
        <span id={`pdf-error-${props.invoice.id}`} className="field__error pdf__error" role="alert">
          {state.error}
        </span>
      ) : null}
    </span>
  );
}

/** Per recipient: delivered (when), refused (the mail server's answer), or pending (a temporary refusal, retried). */
export function DeliveryRecipients(props: { delivery: Delivery }) {
  const d = props.delivery;
  const recipients = recipientsOf(d);
  if (!recipients.length)
    return (
      <span className="delivery__to">
        To {d.to.join(', ')}
        {d.cc?.length ? `, cc ${d.cc.join(', ')}` : ''}
      </span>
    );
  return (
    <ul className="delivery__to delivery__recipients" aria-label="Recipients">
      {recipients.map((r) => {
        const text = recipientText(r);
        return (
          <li key={r.address} className={`recipient recipient--${r.status.toLowerCase()}`}>
            <span className="recipient__address">
              {r.address}
              {r.cc ? <span className="muted small"> (cc)</span> : null}
            </span>{' '}
            <span className="recipient__state">
              {text.label}
              {text.detail ? <span className="recipient__detail">: {text.detail}</span> : null}
            </span>
          </li>
        );
      })}
    </ul>
  );
}
