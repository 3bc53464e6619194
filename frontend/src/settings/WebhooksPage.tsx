// Settings → Webhooks (owners): the business's HTTPS endpoints, each subscribed to some event types. Adding one shows
// its signing secret once (with a copy button); the secret can be rotated (the old one signs beside the new one for a
// day), an endpoint turned off and on (PUT with its ETag) or deleted. Each endpoint's delivery log lists every attempt
// (time, HTTP status, duration, the answer's first KiB or the error) with a Resend button.
import { useRef, useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError, newIdempotencyKey } from '../api/client';
import type { Versioned, Webhook, WebhookDelivery, WebhookEventType } from '../api/types';
import { useQueryKeys } from '../app/business';
import { useApi } from '../app/session';
import { usePageTitle } from '../app/usePageTitle';
import { formatDateTime } from '../format/format';
import { Dialog } from '../ui/Dialog';
import { Alert, EmptyState, ErrorState, Loading, errorMessage, useToast } from '../ui/feedback';
import { TextField } from '../ui/fields';
import { SettingsTabs } from './SettingsTabs';

export const eventTypes: WebhookEventType[] = [
  'InvoiceFinalized', 'InvoiceSent', 'InvoiceDelivered', 'InvoiceDeliveryFailed', 'PaymentRecorded',
  'InvoicePaid', 'InvoiceVoided', 'CreditNoteIssued', 'CustomerCreated', 'CustomerUpdated',
];

export function WebhooksPage() {
  usePageTitle('Webhooks');
  const api = useApi();
  const keys = useQueryKeys();
  const list = useQuery({ queryKey: keys.webhooks, queryFn: ({ signal }) => api.listWebhooks(signal) });
  const [secret, setSecret] = useState<{ webhook: Webhook; rotated: boolean } | null>(null);
  return (
    <div className="page page--narrow">
      <div className="page__header">
        <h1>Settings</h1>
      </div>
      <SettingsTabs />
      <p className="muted">
        SmallPay sends each event you choose to your endpoints as a signed HTTPS POST (header <code>SmallPay-Signature</code>), and tries again for a
        day until they answer 2xx.
      </p>
      {secret ? <SecretShown webhook={secret.webhook} rotated={secret.rotated} onDone={() => setSecret(null)} /> : null}
      {list.isPending ? (
        <Loading lines={4} label="Loading the webhooks…" />
      ) : list.isError ? (
        <ErrorState error={list.error} onRetry={() => list.refetch()} />
      ) : (
        <>
          {list.data.items.length === 0 ? (
            <EmptyState title="No webhook endpoints yet">Add one below to have your systems told when invoices and customers change.</EmptyState>
          ) : (
            list.data.items.map((w) => <WebhookCard key={`${w.id}:${w.version}`} webhook={w} onSecret={(webhook) => setSecret({ webhook, rotated: true })} />)
          )}
          {list.data.items.length < 10 ? <AddCard onAdded={(webhook) => setSecret({ webhook, rotated: false })} /> : <Alert kind="info">A business may have at most 10 endpoints.</Alert>}
        </>
      )}
    </div>
  );
}

function SecretShown(props: { webhook: Webhook; rotated: boolean; onDone: () => void }) {
  const [copied, setCopied] = useState<'yes' | 'no' | null>(null);
  const input = useRef<HTMLInputElement>(null);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(props.webhook.secret ?? '');
      setCopied('yes');
    } catch {
      input.current?.select();
      setCopied('no');
    }
  };
  return (
    <Alert
      kind="success"
      title={props.rotated ? 'New signing secret' : 'Endpoint added: its signing secret'}
      actions={
        <button type="button" className="button button--small" onClick={props.onDone}>
          I have saved it
        </button>
      }
    >
      <p>
        Copy it now: it is shown only this once. Use it to check <code>SmallPay-Signature</code> on every request to {props.webhook.url}.
        {props.rotated ? ' The previous secret keeps signing beside it for 24 hours, so your receiver can switch over.' : ''}
      </p>
      <div className="copy-link">
        <TextField ref={input} label="Signing secret" readOnly value={props.webhook.secret ?? ''} onFocus={(event) => event.currentTarget.select()} />
        <button type="button" className="button" onClick={copy}>
          {copied === 'yes' ? 'Copied' : 'Copy secret'}
        </button>
      </div>
      <p className="visually-hidden" role="status">
        {copied === 'yes' ? 'The secret is copied.' : copied === 'no' ? 'The secret is selected: copy it with your keyboard.' : ''}
      </p>
    </Alert>
  );
}

function EventChoices(props: { chosen: WebhookEventType[]; onChange: (chosen: WebhookEventType[]) => void; error?: string; idPrefix: string }) {
  return (
    <fieldset className="field">
      <legend className="field__label">Events</legend>
      <div className="checkbox-grid">
        {eventTypes.map((type) => (
          <label key={type} className="checkbox">
            <input
              type="checkbox"
              id={`${props.idPrefix}-${type}`}
              checked={props.chosen.includes(type)}
              onChange={(event) => props.onChange(event.target.checked ? [...props.chosen, type] : props.chosen.filter((t) => t !== type))}
            />{' '}
            {type}
          </label>
        ))}
      </div>
      {props.error ? <p className="field__error">{props.error}</p> : null}
    </fieldset>
  );
}

function AddCard(props: { onAdded: (webhook: Webhook) => void }) {
  const api = useApi();
  const keys = useQueryKeys();
  const queryClient = useQueryClient();
  const [url, setUrl] = useState('');
  const [description, setDescription] = useState('');
  const [events, setEvents] = useState<WebhookEventType[]>(['InvoiceFinalized', 'InvoicePaid']);
  const [key, setKey] = useState(newIdempotencyKey);
  const add = useMutation({
    mutationFn: () => api.createWebhook({ url: url.trim(), events, description: description.trim() || null }, key),
    onSuccess: (created) => {
      props.onAdded(created.data);
      setUrl('');
      setDescription('');
      setKey(newIdempotencyKey());
      void queryClient.invalidateQueries({ queryKey: keys.webhooks });
    },
  });
  const error = add.error instanceof ApiError ? add.error : null;
  const fields = error?.fieldErrors ?? {};
  const eventsError = fields.events ?? Object.entries(fields).find(([path]) => path.startsWith('events'))?.[1];
  return (
    <section className="card" aria-labelledby="add-webhook-title">
      <h2 id="add-webhook-title" className="card__title">
        Add an endpoint
      </h2>
      <form
        className="stack"
        onSubmit={(event) => {
          event.preventDefault();
          add.mutate();
        }}
      >
        <TextField label="URL" type="url" placeholder="https://hooks.example.com/smallpay" value={url} error={fields.url} onChange={(e) => setUrl(e.target.value)} required />
        <EventChoices chosen={events} onChange={setEvents} error={eventsError} idPrefix="add" />
        <TextField label="Description (optional)" value={description} error={fields.description} onChange={(e) => setDescription(e.target.value)} maxLength={200} />
        {error && !fields.url && !eventsError && !fields.description ? <Alert kind="error">{errorMessage(error)}</Alert> : null}
        <div>
          <button type="submit" className="button button--primary" disabled={add.isPending || events.length === 0}>
            {add.isPending ? 'Adding…' : 'Add endpoint'}
          </button>
        </div>
      </form>
    </section>
  );
}

function WebhookCard(props: { webhook: Webhook; onSecret: (webhook: Webhook) => void }) {
  const { webhook } = props;
  const api = useApi();
  const keys = useQueryKeys();
  const queryClient = useQueryClient();
  const toast = useToast();
  const [showLog, setShowLog] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const refresh = () => void queryClient.invalidateQueries({ queryKey: keys.webhooks });
  const toggle = useMutation({
    mutationFn: () =>
      api.updateWebhook(webhook.id, { url: webhook.url, events: webhook.events, description: webhook.description ?? null, enabled: !webhook.enabled }, `"${webhook.version}"`),
    onSuccess: (saved: Versioned<Webhook>) => {
      toast(saved.data.enabled ? 'The endpoint is on.' : 'The endpoint is off: it gets nothing until you turn it on.');
      refresh();
    },
  });
  const rotate = useMutation({
    mutationFn: () => api.rotateWebhookSecret(webhook.id),
    onSuccess: (rotated) => {
      props.onSecret(rotated.data);
      refresh();
    },
  });
  const remove = useMutation({
    mutationFn: () => api.deleteWebhook(webhook.id),
    onSuccess: () => {
      setDeleting(false);
      toast('The endpoint is deleted.');
      refresh();
    },
  });
  const failure = toggle.error ?? rotate.error;
  return (
    <section className="card webhook" aria-label={`Endpoint ${webhook.url}`}>
      <div className="webhook__head">
        <div>
          <h2 className="card__title webhook__url">{webhook.url}</h2>
          <p className="muted small">
            {webhook.description ? `${webhook.description} · ` : ''}
            {webhook.enabled ? 'On' : 'Off'} · added {formatDateTime(webhook.createdAt)}
            {webhook.previousSecretUntil ? ` · the previous secret signs too until ${formatDateTime(webhook.previousSecretUntil)}` : ''}
          </p>
          <p className="small">{webhook.events.join(', ')}</p>
        </div>
        <div className="webhook__actions">
          <button type="button" className="button button--small" onClick={() => toggle.mutate()} disabled={toggle.isPending}>
            {webhook.enabled ? 'Disable' : 'Enable'}
          </button>
          <button type="button" className="button button--small" onClick={() => rotate.mutate()} disabled={rotate.isPending}>
            Rotate secret
          </button>
          <button type="button" className="button button--small" onClick={() => setShowLog((v) => !v)} aria-expanded={showLog}>
            {showLog ? 'Hide deliveries' : 'Deliveries'}
          </button>
          <button type="button" className="button button--small button--danger-ghost" onClick={() => setDeleting(true)}>
            Delete
          </button>
        </div>
      </div>
      {failure ? <Alert kind="error">{failure instanceof ApiError && failure.isStale ? 'Someone changed this endpoint first: reload and try again.' : errorMessage(failure)}</Alert> : null}
      {showLog ? <DeliveryLog webhook={webhook} /> : null}
      <Dialog open={deleting} title="Delete this endpoint?" onClose={() => setDeleting(false)}>
        <p>Nothing more is sent to {webhook.url}; deliveries still being retried end as failed.</p>
        {remove.error ? <Alert kind="error">{errorMessage(remove.error)}</Alert> : null}
        <div className="dialog__actions">
          <button type="button" className="button" onClick={() => setDeleting(false)}>
            Keep it
          </button>
          <button type="button" className="button button--danger" onClick={() => remove.mutate()} disabled={remove.isPending}>
            Delete endpoint
          </button>
        </div>
      </Dialog>
    </section>
  );
}

const statusClass: Record<WebhookDelivery['status'], string> = { Pending: 'chip chip--delivery-pending', Delivered: 'chip chip--delivery-sent', Failed: 'chip chip--delivery-failed' };

function DeliveryLog(props: { webhook: Webhook }) {
  const api = useApi();
  const keys = useQueryKeys();
  const queryClient = useQueryClient();
  const deliveries = useQuery({
    queryKey: keys.webhookDeliveries(props.webhook.id),
    queryFn: ({ signal }) => api.listWebhookDeliveries(props.webhook.id, signal),
    staleTime: 0,
  });
  const resend = useMutation({
    mutationFn: (delivery: WebhookDelivery) => api.resendWebhookDelivery(props.webhook.id, delivery.id),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: keys.webhookDeliveries(props.webhook.id) }),
  });
  if (deliveries.isPending) return <Loading lines={2} label="Loading the deliveries…" />;
  if (deliveries.isError) return <ErrorState error={deliveries.error} onRetry={() => deliveries.refetch()} />;
  if (deliveries.data.items.length === 0) return <p className="muted">No deliveries yet.</p>;
  return (
    <div className="webhook__log">
      {resend.error ? <Alert kind="error">{errorMessage(resend.error)}</Alert> : null}
      <table className="table" aria-label={`Deliveries to ${props.webhook.url}`}>
        <thead>
          <tr>
            <th>Event</th>
            <th>Status</th>
            <th>Attempts</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {deliveries.data.items.map((d) => (
            <tr key={d.id}>
              <td>
                <strong>{d.eventType}</strong>
                <div className="muted small">{d.eventId}</div>
              </td>
              <td>
                <span className={statusClass[d.status]}>{d.status}</span>
                {d.nextAttemptAt ? <div className="muted small">next try {formatDateTime(d.nextAttemptAt)}</div> : null}
              </td>
              <td>
                <ol className="attempts">
                  {d.attempts.map((a, i) => (
                    <li key={i} className="small">
                      {formatDateTime(a.at)} · {a.statusCode ? `HTTP ${a.statusCode}` : 'no answer'} · {a.durationMs} ms{a.resend ? ' · resent' : ''}
                      {a.error || a.response ? <div className="muted attempts__body">{a.error ?? a.response}</div> : null}
                    </li>
                  ))}
                </ol>
              </td>
              <td>
                <button type="button" className="button button--small" onClick={() => resend.mutate(d)} disabled={resend.isPending || !props.webhook.enabled}>
                  Resend
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
