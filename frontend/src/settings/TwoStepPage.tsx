// Settings → Sign-in: two-step sign-in with an authenticator app (TOTP) for the signed-in account, whatever its role
// in the business on screen. Turning it on: Cognito makes a secret (AssociateSoftwareToken), the user adds it to an
// authenticator app by link or by typing it, and proves it with a code (VerifySoftwareToken); then sign-in asks for
// a code (SetUserMFAPreference). Nothing of it is stored by SmallPay's API.
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useSession } from '../app/session';
import { usePageTitle } from '../app/usePageTitle';
import { groupSecret, normalizeCode, otpauthUri } from '../auth/totp';
import { Alert, ErrorState, Loading, errorMessage, useToast } from '../ui/feedback';
import { TextField } from '../ui/fields';
import { SettingsTabs } from './SettingsTabs';

const statusKey = ['account', 'two-step'] as const;

export function TwoStepPage() {
  usePageTitle('Sign-in settings');
  const { auth } = useSession();
  const status = useQuery({ queryKey: statusKey, queryFn: () => auth.twoStepStatus(), staleTime: 0 });
  return (
    <div className="page page--narrow">
      <div className="page__header">
        <h1>Settings</h1>
      </div>
      <SettingsTabs />
      <section className="card" aria-labelledby="two-step-title">
        <h2 id="two-step-title" className="card__title">
          Two-step sign-in
        </h2>
        <p className="muted small">
          For your account only, in every business you work in. With it on, signing in needs your password and a 6-digit code from an
          authenticator app on your phone (Google Authenticator, Microsoft Authenticator, 1Password, Aegis…), so a stolen password alone is
          not enough.
        </p>
        {status.isPending ? (
          <Loading lines={2} label="Loading the sign-in settings…" />
        ) : status.isError ? (
          <ErrorState error={status.error} onRetry={() => status.refetch()} />
        ) : (
          <TwoStep enabled={status.data.enabled} />
        )}
      </section>
    </div>
  );
}

function TwoStep(props: { enabled: boolean }) {
  const { auth } = useSession();
  const queryClient = useQueryClient();
  const toast = useToast();
  const [secret, setSecret] = useState<string | null>(null);
  const start = useMutation({ mutationFn: () => auth.startTwoStep(), onSuccess: setSecret });
  const turnOff = useMutation({
    mutationFn: () => auth.turnOffTwoStep(),
    onSuccess: () => {
      queryClient.setQueryData(statusKey, { enabled: false });
      toast('Two-step sign-in is off.');
    },
  });

  if (secret) {
    return (
      <SetUp
        secret={secret}
        onCancel={() => setSecret(null)}
        onDone={() => {
          setSecret(null);
          queryClient.setQueryData(statusKey, { enabled: true });
          toast('Two-step sign-in is on.');
        }}
      />
    );
  }
  return (
    <div className="stack">
      <p>
        Status: <strong>{props.enabled ? 'On' : 'Off'}</strong>
        {props.enabled ? ' — signing in asks for a code from your authenticator app.' : ' — signing in needs only your password.'}
      </p>
      {start.isError ? <Alert kind="error">{errorMessage(start.error)}</Alert> : null}
      {turnOff.isError ? <Alert kind="error">{errorMessage(turnOff.error)}</Alert> : null}
      <div className="two-step__actions">
        {props.enabled ? (
          <button type="button" className="button" disabled={turnOff.isPending} onClick={() => turnOff.mutate()}>
            {turnOff.isPending ? 'Turning off…' : 'Turn off two-step sign-in'}
          </button>
        ) : (
          <button type="button" className="button button--primary" disabled={start.isPending} onClick={() => start.mutate()}>
            {start.isPending ? 'Starting…' : 'Turn on two-step sign-in'}
          </button>
        )}
      </div>
    </div>
  );
}

function SetUp(props: { secret: string; onCancel: () => void; onDone: () => void }) {
  const { auth, user } = useSession();
  const [error, setError] = useState<string | null>(null);
  const { register, handleSubmit, formState, setError: setFieldError, setValue, setFocus } = useForm<{ code: string }>({ defaultValues: { code: '' } });
  const link = otpauthUri(user?.email ?? '', props.secret);
  const submit = handleSubmit(async ({ code }) => {
    setError(null);
    const digits = normalizeCode(code);
    if (!digits) {
      setFieldError('code', { type: 'local', message: 'Enter the 6 digits your authenticator app shows.' }, { shouldFocus: true });
      return;
    }
    try {
      await auth.finishTwoStep(digits);
      props.onDone();
    } catch (e) {
      setError((e as Error).message);
      setValue('code', '');
      setFocus('code');
    }
  });
  return (
    <form className="stack" noValidate onSubmit={submit} aria-label="Turn on two-step sign-in">
      <ol className="two-step__steps">
        <li>
          <strong>Add SmallPay to your authenticator app.</strong> On this phone:{' '}
          <a href={link}>open the authenticator app with SmallPay</a>. Elsewhere, add an account by hand (time-based) and type this key:
          <code className="two-step__secret" id="two-step-key">
            {groupSecret(props.secret)}
          </code>
        </li>
        <li>
          <strong>Enter the 6-digit code the app now shows for SmallPay.</strong>
        </li>
      </ol>
      {error ? <Alert kind="error">{error}</Alert> : null}
      <TextField
        label="Code from your authenticator app"
        inputMode="numeric"
        autoComplete="one-time-code"
        maxLength={12}
        error={formState.errors.code?.message}
        {...register('code', { required: 'Enter the 6 digits your authenticator app shows.' })}
      />
      <div className="two-step__actions">
        <button type="submit" className="button button--primary" disabled={formState.isSubmitting}>
          {formState.isSubmitting ? 'Checking…' : 'Turn on'}
        </button>
        <button type="button" className="button" onClick={props.onCancel} disabled={formState.isSubmitting}>
          Cancel
        </button>
      </div>
    </form>
  );
}
