import type { Settings } from '../api/types';

/**
 * The business's daily sending limit and today's use (GET /settings): what a send beyond it would get (429), said
 * before it happens. New businesses have the lower limit until one of their invoices has been paid.
 */
export function SendingCard(props: { settings: Settings }) {
  const sending = props.settings.sending;
  if (!sending) return null;
  const left = Math.max(0, sending.dailyLimit - sending.usedToday);
  const resets = new Date(sending.resetsAt);
  const resetsAt = Number.isNaN(resets.getTime())
    ? sending.resetsAt
    : resets.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit', timeZoneName: 'short' });
  return (
    <section className="card" aria-labelledby="sending-title">
      <h2 id="sending-title" className="card__title">
        E-mail sending
      </h2>
      <p>
        Today: <strong>{sending.usedToday}</strong> of <strong>{sending.dailyLimit}</strong> recipients e-mailed ({left} left; the count
        starts again at {resetsAt}).
      </p>
      <p className="muted small">
        {sending.established
          ? 'Invoices, invitations and verification codes count alike.'
          : 'A new business has a lower daily limit until one of its invoices has been paid. Invoices, invitations and verification codes count alike.'}
      </p>
    </section>
  );
}
