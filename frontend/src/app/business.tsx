// The business the signed-in user works in. On sign-in the app reads GET /me and opens the business chosen last time
// on this browser (if the user still works in it), else the API's default. Screens get an API client and query keys
// bound to that business (so data of two businesses never mixes), and what its role allows. Switching drops the
// cached data and opens the dashboard. When the API refuses something anyway (403: the role changed meanwhile, or the
// user was removed), the refusal is shown in a banner, /me is read again, and a business the user no longer belongs
// to is left for their own.
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useLocation, useNavigate } from 'react-router';
import type { ApiClient, ApiError } from '../api/client';
import { BUSINESS_SCOPE, meKey, queryKeysFor, type QueryKeys } from '../api/queries';
import type { Business, Me } from '../api/types';
import { abilitiesOf, businessName, currentBusiness, ownBusiness, pickBusiness, roleLabel, type Abilities } from '../team/roles';
import { ErrorState, Loading } from '../ui/feedback';
import { BusinessApiContext, useSession } from './session';

/** A refusal of the API, explained above the page it happened on (and the dashboard it may have led to). */
export interface BusinessNotice {
  title: string;
  /** The API's own sentence (the problem's detail). */
  detail: string;
  /** What the app did about it. */
  note?: string;
  /** The page the notice belongs to; it goes when the user leaves that page. */
  path: string;
}

interface BusinessValue {
  me: Me;
  business: Business;
  /** The API client whose requests work in `business`. */
  api: ApiClient;
  keys: QueryKeys;
  can: Abilities;
  /** Opens another of the user's businesses at its dashboard; `fresh` is a /me just read that lists it. */
  switchTo(id: string, fresh?: Me): void;
  /** Reads /me again (after joining or leaving a business). */
  refreshMe(): Promise<Me>;
  notice: BusinessNotice | null;
  dismissNotice(): void;
}

const BusinessContext = createContext<BusinessValue | null>(null);

// The choice is per user and per browser: two people sharing a computer each reopen their own last business.
const storageKey = (userId: string) => `smallpay.business.${userId}`;

export function readChosenBusiness(userId: string): string | null {
  try {
    return localStorage.getItem(storageKey(userId));
  } catch {
    return null;
  }
}

function storeChosenBusiness(userId: string, business: string) {
  try {
    localStorage.setItem(storageKey(userId), business);
  } catch {
    // private mode or full storage: the choice lasts until the page is reloaded
  }
}

export function BusinessProvider(props: { children: ReactNode }) {
  const { api: baseApi, user, signOut } = useSession();
  const userId = user?.sub ?? '';
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const { pathname } = useLocation();
  const pathRef = useRef(pathname);
  pathRef.current = pathname;

  const me = useQuery({ queryKey: meKey(userId), queryFn: ({ signal }) => baseApi.getMe(signal), staleTime: 30_000 });
  const [chosen, setChosen] = useState<string | null>(() => readChosenBusiness(userId));
  const [notice, setNotice] = useState<BusinessNotice | null>(null);
  const shown = useRef<Business | null>(null);

  const business = me.data ? currentBusiness(me.data, chosen, shown.current?.id ?? null) : undefined;
  const currentRef = useRef(business);
  currentRef.current = business;

  const switchTo = useCallback(
    (id: string, fresh?: Me) => {
      // Nothing of the business left behind stays in memory; the next screens load the new one's data.
      queryClient.removeQueries({ queryKey: [BUSINESS_SCOPE] });
      if (fresh) queryClient.setQueryData(meKey(userId), fresh);
      storeChosenBusiness(userId, id);
      setChosen(id);
      navigate('/');
    },
    [queryClient, userId, navigate],
  );

  const refreshMe = useCallback(
    () => queryClient.fetchQuery({ queryKey: meKey(userId), queryFn: ({ signal }) => baseApi.getMe(signal), staleTime: 0 }),
    [queryClient, userId, baseApi],
  );

  // /me read again in the background (a focused window) no longer lists the business on screen.
  useEffect(() => {
    const previous = shown.current;
    shown.current = business ?? null;
    if (!business || !previous || previous.id === business.id || chosen === business.id) return;
    // The screens already show the user's own business (their keys changed with it): drop what is left of the other.
    queryClient.removeQueries({ queryKey: queryKeysFor(previous.id).all });
    storeChosenBusiness(userId, business.id);
    setChosen(business.id);
    setNotice({
      title: `You are no longer a member of ${businessName(previous)}`,
      detail: 'Its owner removed you, or you left it in another window.',
      note: `You are back in ${ownName(business)}.`,
      path: '/',
    });
    navigate('/');
  }, [business, chosen, queryClient, userId, navigate]);

  const refreshing = useRef(false);
  useEffect(
    () =>
      baseApi.onForbidden((error: ApiError, forBusiness: string | null) => {
        const current = currentRef.current;
        if (!current || forBusiness !== current.id) return; // about a business no longer on screen
        const detail = error.problem.detail ?? error.problem.title;
        setNotice({ title: `Not allowed in ${businessName(current)}`, detail, path: pathRef.current });
        if (refreshing.current) return;
        refreshing.current = true;
        void baseApi
          .getMe()
          .then((fresh) => {
            const still = fresh.businesses.find((b) => b.id === current.id);
            if (!still) {
              const own = ownBusiness(fresh) ?? pickBusiness(fresh, null);
              setNotice({
                title: `You are no longer a member of ${businessName(current)}`,
                detail,
                note: own ? `You are back in ${ownName(own)}.` : undefined,
                path: '/',
              });
              if (own) switchTo(own.id, fresh);
              return;
            }
            queryClient.setQueryData(meKey(userId), fresh);
            void queryClient.invalidateQueries({ queryKey: queryKeysFor(current.id).team });
            if (still.role !== current.role)
              setNotice((n) => n && { ...n, note: `Your role here is now ${roleLabel[still.role] ?? still.role}: the app shows what it allows.` });
          })
          .catch(() => undefined) // the banner stands; /me is read again on the next window focus
          .finally(() => {
            refreshing.current = false;
          });
      }),
    [baseApi, queryClient, switchTo, userId],
  );

  // A notice belongs to its page: leaving the page dismisses it.
  const lastPath = useRef(pathname);
  useEffect(() => {
    if (lastPath.current === pathname) return;
    lastPath.current = pathname;
    setNotice((n) => (n && n.path !== pathname ? null : n));
  }, [pathname]);

  const businessId = business?.id ?? null;
  const api = useMemo(() => baseApi.forBusiness(businessId), [baseApi, businessId]);
  const keys = useMemo(() => queryKeysFor(businessId ?? ''), [businessId]);
  const role = business?.role;
  const can = useMemo(() => abilitiesOf(role ?? 'accountant'), [role]);
  const dismissNotice = useCallback(() => setNotice(null), []);

  const value = useMemo<BusinessValue | null>(
    () => (me.data && business ? { me: me.data, business, api, keys, can, switchTo, refreshMe, notice, dismissNotice } : null),
    [me.data, business, api, keys, can, switchTo, refreshMe, notice, dismissNotice],
  );

  if (!value) {
    return (
      <div className="page page--narrow">
        {me.isError ? (
          <>
            <ErrorState error={me.error} onRetry={() => me.refetch()} />
            <p>
              <button type="button" className="button button--link" onClick={() => void signOut().then(() => navigate('/signin', { replace: true }))}>
                Sign out
              </button>
            </p>
          </>
        ) : (
          <Loading lines={6} label="Opening your business…" />
        )}
      </div>
    );
  }
  return (
    <BusinessContext.Provider value={value}>
      <BusinessApiContext.Provider value={api}>{props.children}</BusinessApiContext.Provider>
    </BusinessContext.Provider>
  );
}

function ownName(business: Business): string {
  return business.own && !business.name.trim() ? 'your own business' : businessName(business);
}

export function useBusiness(): BusinessValue {
  const value = useContext(BusinessContext);
  if (!value) throw new Error('useBusiness outside BusinessProvider');
  return value;
}

/** The query keys of the business on screen. */
export function useQueryKeys(): QueryKeys {
  return useBusiness().keys;
}

/** What the user's role in the business on screen allows. */
export function useAbilities(): Abilities {
  return useBusiness().can;
}
