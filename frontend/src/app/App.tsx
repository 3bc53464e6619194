import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { BrowserRouter, Link, Navigate, Route, Routes, useLocation } from 'react-router';
import { Fragment, lazy, Suspense, type ReactNode } from 'react';
import { ApiError } from '../api/client';
import type { AuthUser, CognitoAuth } from '../auth/cognito';
import { DashboardPage } from '../dashboard/DashboardPage';
import { businessName, withArticle, type Abilities } from '../team/roles';
import { Loading, ToastProvider } from '../ui/feedback';
import { BusinessProvider, useBusiness } from './business';
import type { AppConfig } from './config';
import { Layout } from './Layout';
import { SessionProvider, useSession } from './session';

// The dashboard (the first page after signing in) is in the main chunk; every other screen loads on first
// use, and Layout preloads them once the dashboard is on screen.
export const screens = {
  signIn: () => import('../auth/AuthPages'),
  invoices: () => import('../invoices/InvoicesPage'),
  invoiceEditor: () => import('../invoices/InvoiceEditorPage'),
  invoiceDetail: () => import('../invoices/InvoiceDetailPage'),
  customers: () => import('../customers/CustomersPage'),
  recurringList: () => import('../recurring/RecurringListPage'),
  recurringEditor: () => import('../recurring/RecurringEditorPage'),
  recurringDetail: () => import('../recurring/RecurringDetailPage'),
  quotesList: () => import('../quotes/QuotesPage'),
  quoteEditor: () => import('../quotes/QuoteEditorPage'),
  quoteDetail: () => import('../quotes/QuoteDetailPage'),
  creditNotesList: () => import('../creditNotes/CreditNotesPage'),
  creditNoteDetail: () => import('../creditNotes/CreditNoteDetailPage'),
  settings: () => import('../settings/SettingsPage'),
  team: () => import('../team/TeamPage'),
  twoStep: () => import('../settings/TwoStepPage'),
  reminders: () => import('../settings/RemindersPage'),
  exports: () => import('../settings/ExportPage'),
  join: () => import('../team/JoinPage'),
};

const SignInPage = lazy(() => screens.signIn().then((m) => ({ default: m.SignInPage })));
const SignUpPage = lazy(() => screens.signIn().then((m) => ({ default: m.SignUpPage })));
const ConfirmPage = lazy(() => screens.signIn().then((m) => ({ default: m.ConfirmPage })));
const ForgotPasswordPage = lazy(() => screens.signIn().then((m) => ({ default: m.ForgotPasswordPage })));
const InvoicesPage = lazy(() => screens.invoices().then((m) => ({ default: m.InvoicesPage })));
const InvoiceEditorPage = lazy(() => screens.invoiceEditor().then((m) => ({ default: m.InvoiceEditorPage })));
const InvoiceDetailPage = lazy(() => screens.invoiceDetail().then((m) => ({ default: m.InvoiceDetailPage })));
const RecurringListPage = lazy(() => screens.recurringList().then((m) => ({ default: m.RecurringListPage })));
const RecurringEditorPage = lazy(() => screens.recurringEditor().then((m) => ({ default: m.RecurringEditorPage })));
const RecurringDetailPage = lazy(() => screens.recurringDetail().then((m) => ({ default: m.RecurringDetailPage })));
const QuotesPage = lazy(() => screens.quotesList().then((m) => ({ default: m.QuotesPage })));
const CreditNotesPage = lazy(() => screens.creditNotesList().then((m) => ({ default: m.CreditNotesPage })));
const CreditNoteDetailPage = lazy(() => screens.creditNoteDetail().then((m) => ({ default: m.CreditNoteDetailPage })));
const QuoteEditorPage = lazy(() => screens.quoteEditor().then((m) => ({ default: m.QuoteEditorPage })));
const QuoteDetailPage = lazy(() => screens.quoteDetail().then((m) => ({ default: m.QuoteDetailPage })));
const CustomersPage = lazy(() => screens.customers().then((m) => ({ default: m.CustomersPage })));
const SettingsPage = lazy(() => screens.settings().then((m) => ({ default: m.SettingsPage })));
const ExportPage = lazy(() => screens.exports().then((m) => ({ default: m.ExportPage })));
const RemindersPage = lazy(() => screens.reminders().then((m) => ({ default: m.RemindersPage })));
const TwoStepPage = lazy(() => screens.twoStep().then((m) => ({ default: m.TwoStepPage })));
const TeamPage = lazy(() => screens.team().then((m) => ({ default: m.TeamPage })));
const JoinPage = lazy(() => screens.join().then((m) => ({ default: m.JoinPage })));

export function createQueryClient() {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 15_000,
        // Retry what may pass on a second try (network, 5xx, throttling), never a 4xx.
        retry: (count, error) => count < 2 && (!(error instanceof ApiError) || error.status === 0 || error.status === 429 || error.status >= 500),
      },
      mutations: { retry: false },
    },
  });
}

function RequireUser(props: { children: ReactNode }) {
  const { user } = useSession();
  const location = useLocation();
  if (!user) {
    const from = `${location.pathname}${location.search}`;
    return <Navigate to={from === '/' ? '/signin' : `/signin?next=${encodeURIComponent(from)}`} replace state={{ from }} />;
  }
  // Keyed by the user: nothing of one user's state (their business, its data) survives into another's session.
  return <Fragment key={user.sub}>{props.children}</Fragment>;
}

/** A screen for what the user's role in the business on screen allows; anyone else is told why it is not there. */
function RequireAbility(props: { ability: keyof Abilities; children: ReactNode }) {
  const { can, business } = useBusiness();
  if (can[props.ability]) return <>{props.children}</>;
  return (
    <div className="page page--narrow">
      <h1>Not available to your role</h1>
      <p>
        You are {withArticle(business.role)} of {businessName(business)}:{' '}
        {business.role === 'accountant' ? 'you can read everything here, but not change it.' : 'this is for its owners.'} Ask an owner if you need more.
      </p>
      <p>
        <Link to="/">Go to the dashboard</Link>
      </p>
    </div>
  );
}

function GuestOnly(props: { children: ReactNode }) {
  const { user, reauthenticating } = useSession();
  const location = useLocation();
  // Signed in already: straight on to where the sign-in would have led (an invitation's join page, say).
  const next = new URLSearchParams(location.search).get('next') ?? '/';
  const to = next.startsWith('/') && !next.startsWith('//') ? next : '/';
  return user && !reauthenticating ? <Navigate to={to} replace /> : <>{props.children}</>;
}

export function App(props: { config: AppConfig; auth: CognitoAuth; initialUser: AuthUser | null; queryClient: QueryClient }) {
  return (
    <QueryClientProvider client={props.queryClient}>
      <SessionProvider config={props.config} auth={props.auth} initialUser={props.initialUser}>
        <ToastProvider>
          <BrowserRouter>
            <Suspense fallback={<div className="page"><Loading lines={6} /></div>}>
            <Routes>
              <Route path="/signin" element={<GuestOnly><SignInPage /></GuestOnly>} />
              <Route path="/signup" element={<GuestOnly><SignUpPage /></GuestOnly>} />
              <Route path="/confirm" element={<ConfirmPage />} />
              <Route path="/forgot-password" element={<GuestOnly><ForgotPasswordPage /></GuestOnly>} />
              <Route element={<RequireUser><BusinessProvider><Layout /></BusinessProvider></RequireUser>}>
                <Route index element={<DashboardPage />} />
                <Route path="invoices" element={<InvoicesPage />} />
                <Route path="invoices/new" element={<RequireAbility ability="write"><InvoiceEditorPage /></RequireAbility>} />
                <Route path="invoices/:invoiceId" element={<InvoiceDetailPage />} />
                <Route path="invoices/:invoiceId/edit" element={<RequireAbility ability="write"><InvoiceEditorPage /></RequireAbility>} />
                <Route path="quotes" element={<QuotesPage />} />
                <Route path="quotes/new" element={<RequireAbility ability="write"><QuoteEditorPage /></RequireAbility>} />
                <Route path="quotes/:quoteId" element={<QuoteDetailPage />} />
                <Route path="quotes/:quoteId/edit" element={<RequireAbility ability="write"><QuoteEditorPage /></RequireAbility>} />
                <Route path="credit-notes" element={<CreditNotesPage />} />
                <Route path="credit-notes/:creditNoteId" element={<CreditNoteDetailPage />} />
                <Route path="recurring" element={<RecurringListPage />} />
                <Route path="recurring/new" element={<RequireAbility ability="write"><RecurringEditorPage /></RequireAbility>} />
                <Route path="recurring/:profileId" element={<RecurringDetailPage />} />
                <Route path="recurring/:profileId/edit" element={<RequireAbility ability="write"><RecurringEditorPage /></RequireAbility>} />
                <Route path="customers" element={<CustomersPage />} />
                <Route path="customers/:customerId" element={<CustomersPage />} />
                <Route path="settings" element={<SettingsPage />} />
                <Route path="settings/reminders" element={<RemindersPage />} />
                <Route path="settings/export" element={<ExportPage />} />
                <Route path="settings/team" element={<TeamPage />} />
                <Route path="settings/sign-in" element={<TwoStepPage />} />
                <Route path="join" element={<JoinPage />} />
                <Route path="*" element={<NotFound />} />
              </Route>
            </Routes>
            </Suspense>
          </BrowserRouter>
        </ToastProvider>
      </SessionProvider>
    </QueryClientProvider>
  );
}

function NotFound() {
  return (
    <div className="page">
      <h1>Page not found</h1>
      <p>
        There is nothing at this address. <a href="/">Go to the dashboard</a>.
      </p>
    </div>
  );
}
