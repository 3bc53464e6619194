import { lazy, Suspense, useEffect, useRef } from 'react';
import { NavLink, Outlet, useLocation, useNavigate } from 'react-router';
import { Alert, Loading } from '../ui/feedback';
import { useBusiness } from './business';
import { BusinessSwitcher } from './BusinessSwitcher';
import { useSession } from './session';

const ReauthDialog = lazy(() => import('../auth/ReauthDialog').then((m) => ({ default: m.ReauthDialog })));

const nav = [
  { to: '/', label: 'Dashboard', icon: 'M3 13h8V3H3zm0 8h8v-6H3zm10 0h8V11h-8zm0-18v6h8V3z' },
  { to: '/invoices', label: 'Invoices', icon: 'M6 2h9l5 5v15H6zm8 1.5V8h4.5M9 12h8M9 16h8' },
  { to: '/quotes', label: 'Quotes', icon: 'M7 3h8l4 4v14H7zM15 3v4h4M10 12h6M10 16h6' },
  { to: '/credit-notes', label: 'Credit notes', icon: 'M6 2h9l5 5v15H6zm8 1.5V8h4.5M9 14h8' },
  { to: '/recurring', label: 'Recurring', icon: 'M4 12a8 8 0 0 1 14-5.3M20 4v5h-5M20 12a8 8 0 0 1-14 5.3M4 20v-5h5' },
  { to: '/customers', label: 'Customers', icon: 'M9 11a4 4 0 1 0 0-8 4 4 0 0 0 0 8zm-7 10a7 7 0 0 1 14 0M17 11a3 3 0 1 0 0-6M22 21a5 5 0 0 0-4-5' },
  { to: '/settings', label: 'Settings', icon: 'M12 15a3 3 0 1 0 0-6 3 3 0 0 0 0 6zM19.4 15a1.7 1.7 0 0 0 .3 1.8l.1.1a2 2 0 1 1-2.8 2.8l-.1-.1a1.7 1.7 0 0 0-2.9 1.2V21a2 2 0 1 1-4 0v-.1a1.7 1.7 0 0 0-2.9-1.2l-.1.1a2 2 0 1 1-2.8-2.8l.1-.1A1.7 1.7 0 0 0 3 15H3a2 2 0 1 1 0-4h.1a1.7 1.7 0 0 0 1.2-2.9l-.1-.1a2 2 0 1 1 2.8-2.8l.1.1A1.7 1.7 0 0 0 9 4.6V4.5a2 2 0 1 1 4 0v.1a1.7 1.7 0 0 0 2.9 1.2l.1-.1a2 2 0 1 1 2.8 2.8l-.1.1a1.7 1.7 0 0 0 1.2 2.9h.1a2 2 0 1 1 0 4h-.1a1.7 1.7 0 0 0-1.5 1z' },
];

function Icon(props: { d: string }) {
  return (
    <svg className="nav__icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
      <path d={props.d} fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" strokeLinejoin="round" />
    </svg>
  );
}

export function Layout() {
  const { user, signOut, reauthenticating } = useSession();
  const navigate = useNavigate();
  const { pathname } = useLocation();
  const firstRender = useRef(true);
  useEffect(() => {
    // A new screen starts at its top, and keyboard and screen-reader users start reading it there.
    if (firstRender.current) {
      firstRender.current = false;
      return;
    }
    window.scrollTo(0, 0);
    document.getElementById('main')?.focus({ preventScroll: true });
  }, [pathname]);
  useEffect(() => {
    // Once the first screen is up, fetch the others' code while the user reads it.
    const preload = () => void import('./App').then(({ screens }) => Object.values(screens).forEach((load) => void load()));
    const idle = window.requestIdleCallback ?? ((fn: () => void) => window.setTimeout(fn, 1500));
    idle(preload);
  }, []);
  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <NavLink to="/" className="brand" aria-label="SmallPay, dashboard">
          <span className="brand__mark" aria-hidden="true">
            S
          </span>
          <span>SmallPay</span>
        </NavLink>
        <nav className="nav" aria-label="Main">
          {nav.map((item) => (
            <NavLink key={item.to} to={item.to} end={item.to === '/'} className="nav__link">
              <Icon d={item.icon} />
              <span>{item.label}</span>
            </NavLink>
          ))}
        </nav>
        <div className="account">
          <BusinessSwitcher />
          <span className="account__email" title={user?.email}>
            {user?.email}
          </span>
          <button
            type="button"
            className="button button--ghost button--small"
            onClick={async () => {
              await signOut();
              navigate('/signin', { replace: true });
            }}
          >
            Sign out
          </button>
        </div>
      </header>
      <main id="main" className="main" tabIndex={-1}>
        <BusinessNoticeBanner />
        <Suspense fallback={<div className="page"><Loading lines={6} /></div>}>
          <Outlet />
        </Suspense>
      </main>
      {reauthenticating ? (
        <Suspense fallback={null}>
          <ReauthDialog />
        </Suspense>
      ) : null}
    </div>
  );
}

/** Why the API refused something just now (the problem's own sentence), and what the app did about it. */
function BusinessNoticeBanner() {
  const { notice, dismissNotice } = useBusiness();
  const { pathname } = useLocation();
  if (!notice || notice.path !== pathname) return null;
  return (
    <div className="notice" data-testid="business-notice">
      <Alert
        kind="warning"
        title={notice.title}
        actions={
          <button type="button" className="button button--small" onClick={dismissNotice}>
            Dismiss
          </button>
        }
      >
        <p>{notice.detail}</p>
        {notice.note ? <p>{notice.note}</p> : null}
      </Alert>
    </div>
  );
}
