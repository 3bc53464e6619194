// Sign in, sign up, confirm the e-mail address, and reset a forgotten password, against the user pool of
// /config.json. Locally (moto) no e-mail is sent and any confirmation code is accepted: the pages say so.
import { useState, type ReactNode } from 'react';
import { useForm } from 'react-hook-form';
import { Link, useLocation, useNavigate, useSearchParams } from 'react-router';
import { isLocalCognito } from '../app/config';
import { useSession } from '../app/session';
import { TextField } from '../ui/fields';
import { Alert } from '../ui/feedback';
import { isCodeChallenge, type AuthUser, type CodeChallenge } from './cognito';
import { normalizeCode } from './totp';

const PASSWORD_HINT = 'At least 10 characters, with upper- and lower-case letters and a digit.';

export function AuthLayout(props: { title: string; children: ReactNode }) {
  return (
    <div className="auth">
      <main className="auth__card" id="main">
        <p className="brand brand--large" aria-hidden="true">
          <span className="brand__mark">S</span> SmallPay
        </p>
        <h1>{props.title}</h1>
        {props.children}
      </main>
    </div>
  );
}

function LocalCodeHint() {
  const { config } = useSession();
  if (!isLocalCognito(config)) return null;
  return (
    <Alert kind="info" title="Local stack">
      No e-mail is sent here, and the local Cognito accepts any code: type <code>123456</code>.
    </Alert>
  );
}

/** Where to go after signing in: the page that asked for it, or the dashboard. */
function useReturnTo(): string {
  const location = useLocation();
  const [params] = useSearchParams();
  const from = (location.state as { from?: string } | null)?.from ?? params.get('next') ?? '/';
  return from.startsWith('/') && !from.startsWith('//') ? from : '/';
}

/**
 * The return address carried from page to page (sign-in → sign-up → confirm → sign-in), so a new user who opened an
 * invitation's link lands on it once their account exists: `?next=…` to append to a link, or ''.
 */
function useNextParam(): string {
  const returnTo = useReturnTo();
  return returnTo === '/' ? '' : `next=${encodeURIComponent(returnTo)}`;
}

const withQuery = (path: string, query: string) => (query ? `${path}?${query}` : path);

interface Credentials {
  email: string;
  password: string;
}

/**
 * The sign-in form, used by the page and by the dialog shown when a session expires. With two-step sign-in on, a
 * right password leads to the authenticator code step.
 */
export function SignInForm(props: { onSignedIn: (user: AuthUser) => void; defaultEmail?: string; submitLabel?: string }) {
  const { signIn } = useSession();
  const navigate = useNavigate();
  const [error, setError] = useState<{ code: string; message: string } | null>(null);
  const [challenge, setChallenge] = useState<CodeChallenge | null>(null);
  const { register, handleSubmit, formState, getValues, setValue } = useForm<Credentials>({ defaultValues: { email: props.defaultEmail ?? '', password: '' } });
  const submit = handleSubmit(async ({ email, password }) => {
    setError(null);
    try {
      const result = await signIn(email, password);
      if (isCodeChallenge(result)) setChallenge(result);
      else props.onSignedIn(result);
    } catch (e) {
      const err = e as { code?: string; message: string };
      setError({ code: err.code ?? '', message: err.message });
    }
  });
  if (challenge) {
    return (
      <AppCodeForm
        challenge={challenge}
        submitLabel={props.submitLabel}
        onSignedIn={props.onSignedIn}
        onStartOver={(message) => {
          setChallenge(null);
          setValue('password', '');
          setError(message ? { code: 'NotAuthorizedException', message } : null);
        }}
      />
    );
  }
  return (
    <form onSubmit={submit} noValidate className="stack">
      {error ? (
        <Alert
          kind="error"
          actions={
            error.code === 'UserNotConfirmedException' ? (
              <button type="button" className="button" onClick={() => navigate(`/confirm?email=${encodeURIComponent(getValues('email'))}`)}>
                Enter the code
              </button>
            ) : null
          }
        >
          {error.message}
        </Alert>
      ) : null}
      <TextField
        label="E-mail address"
        type="email"
        autoComplete="username"
        error={formState.errors.email?.message}
        {...register('email', { required: 'Enter your e-mail address.' })}
      />
      <TextField
        label="Password"
        type="password"
        autoComplete="current-password"
        error={formState.errors.password?.message}
        {...register('password', { required: 'Enter your password.' })}
      />
      <button type="submit" className="button button--primary button--block" disabled={formState.isSubmitting}>
        {formState.isSubmitting ? 'Signing in…' : (props.submitLabel ?? 'Sign in')}
      </button>
    </form>
  );
}

/** The second step of signing in: the 6-digit code of the account's authenticator app. */
function AppCodeForm(props: {
  challenge: CodeChallenge;
  submitLabel?: string;
  onSignedIn: (user: AuthUser) => void;
  onStartOver: (message?: string) => void;
}) {
  const [error, setError] = useState<string | null>(null);
  const { register, handleSubmit, formState, setError: setFieldError, setValue, setFocus } = useForm<{ code: string }>({ defaultValues: { code: '' } });
  const submit = handleSubmit(async ({ code }) => {
    setError(null);
    const digits = normalizeCode(code);
    if (!digits) {
      setFieldError('code', { type: 'local', message: 'Enter the 6 digits your authenticator app shows.' }, { shouldFocus: true });
      return;
    }
    try {
      props.onSignedIn(await props.challenge.submit(digits));
    } catch (e) {
      const err = e as { code?: string; message: string };
      // The sign-in's session is gone (expired, or used up by wrong codes): the password again.
      if (err.code === 'NotAuthorizedException') return props.onStartOver(err.message);
      setError(err.message);
      setValue('code', '');
      setFocus('code');
    }
  });
  return (
    <form onSubmit={submit} noValidate className="stack" aria-label="Two-step sign-in">
      <p>
        Two-step sign-in is on for <strong>{props.challenge.email}</strong>. Open your authenticator app and enter the 6-digit code it shows for
        SmallPay.
      </p>
      {error ? <Alert kind="error">{error}</Alert> : null}
      <TextField
        label="Code from your authenticator app"
        inputMode="numeric"
        autoComplete="one-time-code"
        autoFocus
        maxLength={12}
        error={formState.errors.code?.message}
        {...register('code', { required: 'Enter the 6 digits your authenticator app shows.' })}
      />
      <button type="submit" className="button button--primary button--block" disabled={formState.isSubmitting}>
        {formState.isSubmitting ? 'Checking…' : (props.submitLabel ?? 'Sign in')}
      </button>
      <button type="button" className="button button--link" onClick={() => props.onStartOver()}>
        Use another account
      </button>
    </form>
  );
}

export function SignInPage() {
  const navigate = useNavigate();
  const returnTo = useReturnTo();
  const { config } = useSession();
  const location = useLocation();
  const notice = (location.state as { notice?: string } | null)?.notice;
  const [params] = useSearchParams();
  const next = useNextParam();
  return (
    <AuthLayout title="Sign in">
      {notice ? <Alert kind="success">{notice}</Alert> : null}
      {returnTo.startsWith('/join') && !notice ? (
        <Alert kind="info" title="You are invited to a business">
          Sign in to accept the invitation, or create an account with the address it was sent to.
        </Alert>
      ) : null}
      {params.get('expired') ? <Alert kind="warning">Your session has expired. Sign in again to continue.</Alert> : null}
      <SignInForm defaultEmail={params.get('email') ?? ''} onSignedIn={() => navigate(returnTo, { replace: true })} />
      <p className="auth__links">
        <Link to="/forgot-password">Forgot your password?</Link>
        <span>
          New to SmallPay? <Link to={withQuery('/signup', next)}>Create an account</Link>
        </span>
      </p>
      {isLocalCognito(config) ? (
        <p className="muted small">
          Local stack: the demo account is <code>demo@smallpay.local</code> / <code>SmallPay-demo-2026</code> (unless it was
          started with <code>--no-demo</code>).
        </p>
      ) : null}
    </AuthLayout>
  );
}

export function SignUpPage() {
  const { auth } = useSession();
  const navigate = useNavigate();
  const next = useNextParam();
  const [error, setError] = useState<string | null>(null);
  const { register, handleSubmit, formState, watch } = useForm<Credentials & { confirm: string }>({
    defaultValues: { email: '', password: '', confirm: '' },
  });
  const submit = handleSubmit(async ({ email, password }) => {
    setError(null);
    try {
      const result = await auth.signUp(email, password);
      const query = [`email=${encodeURIComponent(email)}`, next].filter(Boolean).join('&');
      if (result.confirmed) navigate(`/signin?${query}`, { state: { notice: 'Your account is ready. Sign in.' } });
      else navigate(`/confirm?${query}`, { state: { destination: result.destination } });
    } catch (e) {
      setError((e as Error).message);
    }
  });
  return (
    <AuthLayout title="Create your account">
      <form onSubmit={submit} noValidate className="stack">
        {error ? <Alert kind="error">{error}</Alert> : null}
        <TextField
          label="E-mail address"
          type="email"
          autoComplete="email"
          error={formState.errors.email?.message}
          {...register('email', { required: 'Enter your e-mail address.', pattern: { value: /^[^\s@]+@[^\s@]+$/, message: 'Enter an e-mail address like name@example.com.' } })}
        />
        <TextField
          label="Password"
          type="password"
          autoComplete="new-password"
          hint={PASSWORD_HINT}
          error={formState.errors.password?.message}
          {...register('password', { required: 'Choose a password.', minLength: { value: 10, message: PASSWORD_HINT } })}
        />
        <TextField
          label="Repeat the password"
          type="password"
          autoComplete="new-password"
          error={formState.errors.confirm?.message}
          {...register('confirm', { validate: (value) => value === watch('password') || 'The two passwords differ.' })}
        />
        <button type="submit" className="button button--primary button--block" disabled={formState.isSubmitting}>
          {formState.isSubmitting ? 'Creating your account…' : 'Create account'}
        </button>
      </form>
      <p className="auth__links">
        <span>
          Have an account? <Link to={withQuery('/signin', next)}>Sign in</Link>
        </span>
      </p>
    </AuthLayout>
  );
}

export function ConfirmPage() {
  const { auth } = useSession();
  const navigate = useNavigate();
  const location = useLocation();
  const [params] = useSearchParams();
  const destination = (location.state as { destination?: string } | null)?.destination;
  const next = useNextParam();
  const [error, setError] = useState<string | null>(null);
  const [resent, setResent] = useState(false);
  const { register, handleSubmit, formState, getValues } = useForm<{ email: string; code: string }>({
    defaultValues: { email: params.get('email') ?? '', code: '' },
  });
  const submit = handleSubmit(async ({ email, code }) => {
    setError(null);
    try {
      await auth.confirmSignUp(email, code);
      const query = [`email=${encodeURIComponent(email)}`, next].filter(Boolean).join('&');
      navigate(`/signin?${query}`, { state: { notice: 'Your e-mail address is confirmed. Sign in.' } });
    } catch (e) {
      setError((e as Error).message);
    }
  });
  const resend = async () => {
    setError(null);
    try {
      await auth.resendCode(getValues('email'));
      setResent(true);
    } catch (e) {
      setError((e as Error).message);
    }
  };
  return (
    <AuthLayout title="Confirm your e-mail address">
      <p>We sent a code to {destination ?? 'your e-mail address'}. Enter it here to finish creating your account.</p>
      <LocalCodeHint />
      <form onSubmit={submit} noValidate className="stack">
        {error ? <Alert kind="error">{error}</Alert> : null}
        {resent ? <Alert kind="success">A new code is on its way.</Alert> : null}
        <TextField label="E-mail address" type="email" autoComplete="username" error={formState.errors.email?.message} {...register('email', { required: 'Enter your e-mail address.' })} />
        <TextField
          label="Confirmation code"
          inputMode="numeric"
          autoComplete="one-time-code"
          error={formState.errors.code?.message}
          {...register('code', { required: 'Enter the code from the e-mail.' })}
        />
        <button type="submit" className="button button--primary button--block" disabled={formState.isSubmitting}>
          Confirm
        </button>
        <button type="button" className="button button--link" onClick={resend}>
          Send a new code
        </button>
      </form>
    </AuthLayout>
  );
}

export function ForgotPasswordPage() {
  const { auth } = useSession();
  const navigate = useNavigate();
  const [sentTo, setSentTo] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const { register, handleSubmit, formState } = useForm<{ email: string; code: string; password: string }>({
    defaultValues: { email: '', code: '', password: '' },
  });
  const submit = handleSubmit(async ({ email, code, password }) => {
    setError(null);
    try {
      if (!sentTo) {
        await auth.forgotPassword(email);
        setSentTo(email);
      } else {
        await auth.confirmPassword(email, code, password);
        navigate(`/signin?email=${encodeURIComponent(email)}`, { state: { notice: 'Your password is changed. Sign in with the new one.' } });
      }
    } catch (e) {
      setError((e as Error).message);
    }
  });
  return (
    <AuthLayout title="Reset your password">
      <p>{sentTo ? `If ${sentTo} has an account, a code is on its way. Enter it with a new password.` : 'We will e-mail you a code to choose a new password.'}</p>
      {sentTo ? <LocalCodeHint /> : null}
      <form onSubmit={submit} noValidate className="stack">
        {error ? <Alert kind="error">{error}</Alert> : null}
        <TextField
          label="E-mail address"
          type="email"
          autoComplete="username"
          readOnly={Boolean(sentTo)}
          error={formState.errors.email?.message}
          {...register('email', { required: 'Enter your e-mail address.' })}
        />
        {sentTo ? (
          <>
            <TextField label="Code" inputMode="numeric" autoComplete="one-time-code" error={formState.errors.code?.message} {...register('code', { required: 'Enter the code from the e-mail.' })} />
            <TextField
              label="New password"
              type="password"
              autoComplete="new-password"
              hint={PASSWORD_HINT}
              error={formState.errors.password?.message}
              {...register('password', { required: 'Choose a new password.', minLength: { value: 10, message: PASSWORD_HINT } })}
            />
          </>
        ) : null}
        <button type="submit" className="button button--primary button--block" disabled={formState.isSubmitting}>
          {sentTo ? 'Set the new password' : 'Send the code'}
        </button>
      </form>
      <p className="auth__links">
        <Link to="/signin">Back to sign in</Link>
      </p>
    </AuthLayout>
  );
}
