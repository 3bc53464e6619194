// Shown over the current page when the session expired mid-use: signing in again here keeps the page and
// everything typed into it, and the request that found the session gone is retried.
import { useSession } from '../app/session';
import { Dialog } from '../ui/Dialog';
import { SignInForm } from './AuthPages';

export function ReauthDialog() {
  const { reauthenticating, user, finishReauthentication, signOut } = useSession();
  return (
    <Dialog open={reauthenticating} title="Your session has expired" onClose={() => void signOut()}>
      <p>Sign in again to carry on. What you were doing stays on the page.</p>
      <SignInForm defaultEmail={user?.email} submitLabel="Sign in and continue" onSignedIn={(signedIn) => finishReauthentication(signedIn)} />
      <button type="button" className="button button--link" onClick={() => void signOut()}>
        Sign out instead
      </button>
    </Dialog>
  );
}
