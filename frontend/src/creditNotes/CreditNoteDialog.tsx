// "Issue credit note" on the invoice page: some of the invoice's lines with quantities, or an amount; a reason; a live
// preview of what the credit note credits and what is left to credit. The server computes the real figures.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { useNavigate } from 'react-router';
import { ApiError, newIdempotencyKey } from '../api/client';
import type { Invoice, Versioned } from '../api/types';
import { useQueryKeys } from '../app/business';
import { useApi } from '../app/session';
import { formatMoney, formatNumber } from '../format/format';
import { Dialog } from '../ui/Dialog';
import { Alert, errorMessage, useToast } from '../ui/feedback';
import { TextField } from '../ui/fields';
import { chosenLines, creditable, previewCredit, type CreditMode, type LineQuantities } from './creditPreview';

export function CreditNoteDialog(props: { open: boolean; invoice: Versioned<Invoice>; onClose: () => void }) {
  const inv = props.invoice.data;
  return (
    <Dialog open={props.open} title={`Issue a credit note for ${inv.number ?? 'this invoice'}`} onClose={props.onClose} wide>
      {props.open ? <CreditNoteForm key={props.invoice.etag} {...props} /> : null}
    </Dialog>
  );
}

function CreditNoteForm(props: { invoice: Versioned<Invoice>; onClose: () => void }) {
  const api = useApi();
  const keys = useQueryKeys();
  const queryClient = useQueryClient();
  const toast = useToast();
  const navigate = useNavigate();
  const inv = props.invoice.data;
  const idempotencyKey = useRef(newIdempotencyKey());
  const [mode, setMode] = useState<CreditMode>('lines');
  const [quantities, setQuantities] = useState<LineQuantities>({});
  const [amount, setAmount] = useState('');
  const [reason, setReason] = useState('');
  const [send, setSend] = useState(false);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const left = creditable(inv);
  const credit = previewCredit(inv, mode, quantities, amount);
  const after = credit ? left.minus(credit) : left;
  const money = (value: number | string) => formatMoney(value, inv.currency);

  const issue = useMutation({
    mutationFn: () =>
      api.issueCreditNote(
        inv.id,
        mode === 'lines' ? { lines: chosenLines(quantities), reason: reason.trim(), send } : { amount: amount.trim(), reason: reason.trim(), send },
        idempotencyKey.current,
      ),
    onSuccess: (note) => {
      void queryClient.invalidateQueries({ queryKey: keys.invoice(inv.id) });
      void queryClient.invalidateQueries({ queryKey: keys.invoices() });
      void queryClient.invalidateQueries({ queryKey: keys.creditNotes });
      void queryClient.invalidateQueries({ queryKey: keys.dashboard });
      void queryClient.invalidateQueries({ queryKey: keys.settings });
      toast(send ? `Credit note ${note.data.number} is issued and on its way.` : `Credit note ${note.data.number} is issued.`);
      props.onClose();
      void navigate(`/credit-notes/${note.data.id}`);
    },
    onError: (error) => setErrors(error instanceof ApiError ? error.fieldErrors : {}),
  });

  const submit = (event: React.FormEvent) => {
    event.preventDefault();
    const local: Record<string, string> = {};
    if (!reason.trim()) local.reason = 'Say why the invoice is credited (it is printed on the credit note).';
    if (credit === null) local[mode] = mode === 'lines' ? 'Enter a quantity for at least one line.' : 'Enter an amount, e.g. 25.00.';
    else if (credit.gt(left)) local[mode] = `That is more than is left to credit (${money(left.toString())}).`;
    setErrors(local);
    if (Object.keys(local).length === 0) issue.mutate();
  };
  const fieldError = (name: string) => errors[name] ?? Object.entries(errors).find(([k]) => k.startsWith(`${name}.`))?.[1];

  return (
    <form className="stack" noValidate onSubmit={submit} data-testid="credit-note-form">
      <p>
        Left to credit on this invoice: <strong className="money" data-testid="credit-left">{money(left.toString())}</strong> (its total{' '}
        {money(inv.totals.total)}
        {inv.creditedTotal ? <>, less {money(inv.creditedTotal)} credited before</> : null}).
      </p>
      {issue.error && !(issue.error instanceof ApiError && Object.keys(issue.error.fieldErrors).length) ? <Alert kind="error">{errorMessage(issue.error)}</Alert> : null}
      <div className="segmented" role="group" aria-label="Credit by">
        <button type="button" className="segmented__option" aria-pressed={mode === 'lines'} onClick={() => setMode('lines')}>
          Lines and quantities
        </button>
        <button type="button" className="segmented__option" aria-pressed={mode === 'amount'} onClick={() => setMode('amount')}>
          An amount
        </button>
      </div>
      {mode === 'lines' ? (
        <div className="table-wrap">
          <table className="table table--compact">
            <thead>
              <tr>
                <th scope="col">Line</th>
                <th scope="col" className="num">Invoiced</th>
                <th scope="col" className="num">Unit price</th>
                <th scope="col" className="num">Credit</th>
              </tr>
            </thead>
            <tbody>
              {inv.lines.map((line, index) => (
                <tr key={index}>
                  <td dir="auto">{line.description}</td>
                  <td className="num">{formatNumber(line.quantity)}</td>
                  <td className="num money">{money(line.unitPrice)}</td>
                  <td className="num">
                    <input
                      className="input input--narrow"
                      inputMode="decimal"
                      aria-label={`Credit quantity of ${line.description}`}
                      placeholder="0"
                      value={quantities[index] ?? ''}
                      onChange={(e) => setQuantities({ ...quantities, [index]: e.target.value })}
                    />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {fieldError('lines') ? <p className="field__error" role="alert">{fieldError('lines')}</p> : null}
        </div>
      ) : (
        <TextField
          label={`Amount, tax included (${inv.currency})`}
          inputMode="decimal"
          value={amount}
          onChange={(e) => setAmount(e.target.value)}
          error={fieldError('amount')}
        />
      )}
      <TextField label="Reason" placeholder="e.g. Returned goods, agreed discount" maxLength={200} value={reason} onChange={(e) => setReason(e.target.value)} error={fieldError('reason')} />
      <label className="checkbox">
        <input type="checkbox" checked={send} disabled={!inv.customer.email} onChange={(e) => setSend(e.target.checked)} /> Send it to the customer by e-mail
        {inv.customer.email ? <span className="muted"> ({inv.customer.email})</span> : <span className="muted"> (the customer has no e-mail address)</span>}
      </label>
      <dl className="totals__list" data-testid="credit-preview">
        <div>
          <dt>This credit note</dt>
          <dd className="money" data-testid="credit-preview-amount">{credit ? money(credit.toString()) : '—'}</dd>
        </div>
        <div>
          <dt>Left to credit after it</dt>
          <dd className="money" data-testid="credit-preview-left">{money((after.lt(0) ? '0' : after).toString())}</dd>
        </div>
      </dl>
      {credit && credit.gt(left) ? <Alert kind="warning">That is more than is left to credit on this invoice.</Alert> : null}
      <div className="dialog__actions">
        <button type="button" className="button" onClick={props.onClose}>
          Cancel
        </button>
        <button type="submit" className="button button--primary" disabled={issue.isPending}>
          {issue.isPending ? 'Issuing…' : 'Issue credit note'}
        </button>
      </div>
    </form>
  );
}
