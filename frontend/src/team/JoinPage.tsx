// /join?token=…: the page an invitation's link opens. Signed out, the app asks for a sign-in (or a new account) first
// and comes back here. Joining accepts the invitation (POST /invitations/accept) and opens the business's dashboard.
// The API does not say which business invited before accepting, so the page names it once it has joined.
import { useMutation } from '@tanstack/react-query';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { ApiError } from '../api/client';
import { useBusiness } from '../app/business';
import { useApi, useSession } from '../app/session';
import { usePageTitle } from '../app/usePageTitle';
import { Alert, errorMessage, useToast } from '../ui/feedback';
import { businessName, withArticle } from './roles';

export function JoinPage() {
  usePageTitle('Join a business');
  const [params] = useSearchParams();
  const token = params.get('token')?.trim() ?? '';
  const api = useApi();
  const toast = useToast();
  const navigate = useNavigate();
  const { user, signOut } = useSession();
  const { refreshMe, switchTo } = useBusiness();
  const join = useMutation({
    mutationFn: async () => {
      const business = await api.acceptInvitation(token);
      // The new business must be in the list before it can be opened.
      const fresh = await refreshMe();
      return { business, fresh };
    },
    onSuccess: ({ business, fresh }) => {
      toast(`You joined ${businessName(business)} as ${withArticle(business.role)}.`);
      switchTo(business.id, fresh);
    },
  });
  const error = join.error instanceof ApiError ? join.error : null;
  const signInAgain = async () => {
    await signOut();
    navigate(`/signin?next=${encodeURIComponent(`/join?token=${token}`)}`, { replace: true });
  };

  if (!token) {
    return (
      <div className="page page--narrow join">
        <h1>This invitation link is incomplete</h1>
        <p>The link has no invitation code. Open it again from the e-mail, or copy the whole link into the address bar.</p>
        <p>
          <Link to="/">Go to the dashboard</Link>
        </p>
      </div>
    );
  }

  return (
    <div className="page page--narrow join">
      <section className="card join__card" aria-labelledby="join-title">
        <h1 id="join-title">Join a business on SmallPay?</h1>
        <p>
          You were invited to work in another business on SmallPay. Joining adds it next to your own: switch between them at the top of the page.
          Your own business stays as it is.
        </p>
        <p className="muted">
          You are signed in as <strong>{user?.email}</strong>. The invitation must be for this address.
        </p>
        {error ? <JoinProblem error={error} email={user?.email} onSignInAgain={signInAgain} /> : join.isError ? <Alert kind="error">{errorMessage(join.error)}</Alert> : null}
        {error && error.status >= 400 && error.status < 500 ? null : (
          <div className="form-actions">
            <Link to="/" className="button button--ghost">
              Not now
            </Link>
            <button type="button" className="button button--primary" disabled={join.isPending} onClick={() => join.mutate()}>
              {join.isPending ? 'Joining…' : 'Join the business'}
            </button>
          </div>
        )}
      </section>
    </div>
  );
}

function JoinProblem(props: { error: ApiError; email?: string; onSignInAgain: () => void }) {
  const { error } = props;
  const detail = error.problem.detail ?? error.problem.title;
  if (error.isForbidden) {
    // The API names the invited address: "This invitation is for …: sign in with that address to accept it."
    return (
      <Alert
        kind="warning"
        title="This invitation is for another e-mail address"
        actions={
          <button type="button" className="button" onClick={props.onSignInAgain}>
            Sign out and sign in as the invited address
          </button>
        }
      >
        <p>{detail}</p>
        <p>You are signed in as {props.email ?? 'someone else'}.</p>
      </Alert>
    );
  }
  if (error.isNotFound || error.status === 422 || error.status === 400) {
    return (
      <Alert kind="error" title="This invitation link does not work" actions={<Link to="/" className="button">Go to the dashboard</Link>}>
        <p>Check that the whole link was copied from the e-mail, or ask the business for a new invitation.</p>
      </Alert>
    );
  }
  if (error.isConflict) {
    return (
      <Alert kind="warning" title="This invitation can no longer be used" actions={<Link to="/" className="button">Go to the dashboard</Link>}>
        <p>{detail}</p>
      </Alert>
    );
  }
  return <Alert kind="error">{errorMessage(error)}</Alert>;
}
