import { useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { ApiError } from '../api/client';
import type { EmailVerification, Settings } from '../api/types';
import { keepSending } from './keepSending';
import { useApi } from '../app/session';
import { useQueryKeys } from '../app/business';
import { Alert, errorMessage, useToast } from '../ui/feedback';
import { TextField } from '../ui/fields';

/** The six digits of a typed code, or null (spaces and dashes are fine: people copy "482 913"). */
export function normalizeCode(typed: string): string | null {
  const digits = typed.replace(/[\s-]/g, '');
  return /^\d{6}$/.test(digits) ? digits : null;
}

/**
 * Whether the business's e-mail address is verified, and the way to verify it: a code mailed to the address, typed
 * here. Until then the business's e-mails carry no Reply-To (a new account cannot make replies go to an address it does
 * not own). Outside the settings form: it has its own requests.
 */
export function EmailVerificationCard(props: { settings: Settings; readOnly: boolean }) {
  const api = useApi();
  const keys = useQueryKeys();
  const toast = useToast();
  const queryClient = useQueryClient();
  const [sent, setSent] = useState<EmailVerification | null>(null);
  const [code, setCode] = useState('');
  const [codeError, setCodeError] = useState<string | undefined>();
  const email = props.settings.email;

  const request = useMutation({
    mutationFn: () => api.requestEmailVerification(),
    onSuccess: (answer) => {
      // The code counts against today's sending limit: the figures below are read again.
      void queryClient.invalidateQueries({ queryKey: keys.settings });
      setSent(answer);
      setCode('');
      setCodeError(undefined);
    },
  });
  const confirm = useMutation({
    mutationFn: (digits: string) => api.confirmEmailVerification(digits),
    onSuccess: (saved) => {
      queryClient.setQueryData(keys.settings, keepSending(saved, queryClient.getQueryData(keys.settings)));
      setSent(null);
      toast(`${saved.data.email} is verified: replies to your invoices go there.`);
    },
    onError: (error) => {
      const field = error instanceof ApiError ? error.problem.errors?.find((e) => e.pointer === '/code') : undefined;
      setCodeError(field ? `This code ${field.detail}.` : undefined);
    },
  });

  if (!email) return null;
  const submit = () => {
    const digits = normalizeCode(code);
    if (!digits) {
      setCodeError('Enter the six digits from the e-mail.');
      return;
    }
    confirm.mutate(digits);
  };
  return (
    <section className="card" aria-labelledby="reply-to-title">
      <h2 id="reply-to-title" className="card__title">
        Replies to your invoices
      </h2>
      {props.settings.emailVerified ? (
        <p>
          <span className="chip chip--paid">Verified</span> Your customers' replies go to <strong>{email}</strong>.
        </p>
      ) : (
        <>
          <p>
            <span className="chip chip--draft">Not verified</span> Until you confirm that <strong>{email}</strong> is yours, your e-mails
            go out without a reply address.
          </p>
          {request.isError ? <Alert kind="error">{errorMessage(request.error)}</Alert> : null}
          {confirm.isError && !codeError ? <Alert kind="error">{errorMessage(confirm.error)}</Alert> : null}
          {props.readOnly ? null : sent ? (
            <div className="stack">
              <p className="muted small">
                We e-mailed a code to {sent.email}. It works for 30 minutes.
              </p>
              <div className="form-grid">
                <TextField
                  label="Code from the e-mail"
                  inputMode="numeric"
                  autoComplete="one-time-code"
                  value={code}
                  error={codeError}
                  onChange={(event) => setCode(event.target.value)}
                  onKeyDown={(event) => {
                    if (event.key === 'Enter') {
                      event.preventDefault();
                      submit();
                    }
                  }}
                />
              </div>
              <div className="actions">
                <button type="button" className="button button--primary" onClick={submit} disabled={confirm.isPending}>
                  {confirm.isPending ? 'Verifying…' : 'Verify'}
                </button>
                <button type="button" className="button" onClick={() => request.mutate()} disabled={request.isPending}>
                  Send a new code
                </button>
              </div>
            </div>
          ) : (
            <button type="button" className="button" onClick={() => request.mutate()} disabled={request.isPending}>
              {request.isPending ? 'Sending…' : 'Send a code to this address'}
            </button>
          )}
        </>
      )}
    </section>
  );
}
