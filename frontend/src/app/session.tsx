// Who is signed in, the API client that carries their token, and the in-place sign-in that keeps the page (and
// what the user typed) when the session expires: the API client waits for it and then retries the request.
import { createContext, useCallback, useContext, useMemo, useRef, useState, type ReactNode } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { ApiClient } from '../api/client';
import { CognitoAuth, isCodeChallenge, type AuthUser, type CodeChallenge } from '../auth/cognito';
import type { AppConfig } from './config';

interface SessionValue {
  config: AppConfig;
  auth: CognitoAuth;
  api: ApiClient;
  user: AuthUser | null;
  /** True while the session expired and the sign-in dialog is asking the user to sign in again. */
  reauthenticating: boolean;
  /** Signed in, or the account's authenticator code is wanted first (submitting it signs in the same way). */
  signIn(email: string, password: string): Promise<AuthUser | CodeChallenge>;
  signOut(): Promise<void>;
  /** The sign-in dialog's outcome: signed in again (as whom), or gave up. */
  finishReauthentication(user: AuthUser | null): void;
}

const SessionContext = createContext<SessionValue | null>(null);

export function SessionProvider(props: { config: AppConfig; auth: CognitoAuth; initialUser: AuthUser | null; children: ReactNode }) {
  const { config, auth } = props;
  const queryClient = useQueryClient();
  const [user, setUser] = useState<AuthUser | null>(props.initialUser);
  const userRef = useRef(user);
  userRef.current = user;
  const [reauthenticating, setReauthenticating] = useState(false);
  const waiting = useRef<((signedIn: boolean) => void)[]>([]);

  const api = useMemo(
    () =>
      new ApiClient({
        baseUrl: config.apiUrl,
        tokens: {
          getToken: () => auth.idToken(),
          reauthenticate: () => {
            if (!userRef.current) return Promise.resolve(false);
            setReauthenticating(true);
            return new Promise<boolean>((resolve) => waiting.current.push(resolve));
          },
        },
      }),
    [auth, config.apiUrl],
  );

  const signIn = useCallback(
    async (email: string, password: string) => {
      const signedInAs = (signedIn: AuthUser) => {
        // While requests wait for a sign-in after an expired session, finishReauthentication decides.
        if (waiting.current.length === 0) {
          if (userRef.current?.sub !== signedIn.sub) queryClient.clear();
          setUser(signedIn);
        }
        return signedIn;
      };
      const result = await auth.signIn(email, password);
      if (!isCodeChallenge(result)) return signedInAs(result);
      return { ...result, submit: async (code: string) => signedInAs(await result.submit(code)) };
    },
    [auth, queryClient],
  );

  const signOut = useCallback(async () => {
    await auth.signOut();
    queryClient.clear();
    setUser(null);
    setReauthenticating(false);
    for (const resolve of waiting.current.splice(0)) resolve(false);
  }, [auth, queryClient]);

  const finishReauthentication = useCallback(
    (signedIn: AuthUser | null) => {
      const sameUser = signedIn !== null && signedIn.sub === userRef.current?.sub;
      setReauthenticating(false);
      if (!sameUser) {
        // Someone else signed in (or nobody): nothing of the previous user's may stay on screen.
        queryClient.clear();
        setUser(signedIn);
      }
      for (const resolve of waiting.current.splice(0)) resolve(sameUser);
    },
    [queryClient],
  );

  const value = useMemo<SessionValue>(
    () => ({ config, auth, api, user, reauthenticating, signIn, signOut, finishReauthentication }),
    [config, auth, api, user, reauthenticating, signIn, signOut, finishReauthentication],
  );
  return <SessionContext.Provider value={value}>{props.children}</SessionContext.Provider>;
}

export function useSession(): SessionValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession outside SessionProvider');
  return value;
}

/** The API client bound to the business on screen (app/business.tsx provides it inside the signed-in app). */
export const BusinessApiContext = createContext<ApiClient | null>(null);

/** The API client: for the business on screen, or (outside one, e.g. the sign-in pages) the user's own. */
export function useApi(): ApiClient {
  const forBusiness = useContext(BusinessApiContext);
  const session = useSession();
  return forBusiness ?? session.api;
}
