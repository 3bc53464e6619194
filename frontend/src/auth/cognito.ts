// Sign-up, sign-in, refresh and sign-out against the Cognito user pool of /config.json, with
// amazon-cognito-identity-js: it takes a custom endpoint (the local stack's moto) and refreshes tokens with
// InitiateAuth REFRESH_TOKEN_AUTH, which both real Cognito and moto answer. Sign-in uses USER_PASSWORD_AUTH
// (allowed on the app client; the password goes to Cognito over TLS): moto answers SRP without checking
// the password, and one code path, checked the same way locally and in AWS, is worth more here.
import {
  AuthenticationDetails, CognitoUser, CognitoUserAttribute, CognitoUserPool, type CognitoUserSession,
} from 'amazon-cognito-identity-js';
import type { AppConfig } from '../app/config';

export interface AuthUser {
  email: string;
  /** The tenant: every item the API stores for this user carries it. */
  sub: string;
}

/**
 * The account has two-step sign-in on: the password was right, and Cognito wants the 6-digit code of the user's
 * authenticator app (the SOFTWARE_TOKEN_MFA challenge). `submit` may be called again after a wrong code.
 */
export interface CodeChallenge {
  readonly kind: 'totp';
  readonly email: string;
  submit(code: string): Promise<AuthUser>;
}

export function isCodeChallenge(result: AuthUser | CodeChallenge): result is CodeChallenge {
  return (result as CodeChallenge).kind === 'totp';
}

export interface SignUpResult {
  confirmed: boolean;
  /** Where Cognito sent the code, masked (e.g. d***@e***). */
  destination?: string;
}

/** A Cognito error in words a user can act on. */
export class AuthError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = 'AuthError';
    this.code = code;
  }
}

const messages: Record<string, string> = {
  NotAuthorizedException: 'The e-mail address or password is wrong.',
  UserNotFoundException: 'The e-mail address or password is wrong.',
  UserNotConfirmedException: 'Confirm your e-mail address first: enter the code we sent you.',
  UsernameExistsException: 'An account with this e-mail address exists already. Sign in instead.',
  InvalidPasswordException: 'Choose a password of at least 10 characters with upper- and lower-case letters and a digit.',
  CodeMismatchException: 'That code is not right. Check the e-mail and try again.',
  ExpiredCodeException: 'That code has expired. Ask for a new one.',
  LimitExceededException: 'Too many attempts. Wait a few minutes and try again.',
  TooManyRequestsException: 'Too many attempts. Wait a moment and try again.',
  TooManyFailedAttemptsException: 'Too many attempts. Wait a few minutes and try again.',
  InvalidParameterException: 'Check the e-mail address and password.',
  NetworkError: 'The sign-in service cannot be reached. Check your connection.',
};

/** The same errors where the code comes from an authenticator app, not an e-mail. */
const appCodeMessages: Record<string, string> = {
  CodeMismatchException: 'That code is not right. Type the 6-digit code your authenticator app shows now.',
  // What Cognito answers VerifySoftwareToken for a wrong code.
  EnableSoftwareTokenMFAException: 'That code is not right. Type the 6-digit code your authenticator app shows now.',
  ExpiredCodeException: 'That code was used already. Wait for the next one and type it.',
  NotAuthorizedException: 'This sign-in has expired. Enter your password again.',
  InvalidParameterException: 'Enter the 6-digit code from your authenticator app.',
};

function toAuthError(error: unknown, overrides: Record<string, string> = {}): AuthError {
  if (error instanceof AuthError) return error;
  const e = error as { code?: string; name?: string; message?: string };
  const code = e?.code ?? e?.name ?? 'Unknown';
  if (overrides[code]) return new AuthError(code, overrides[code]);
  if (code === 'InvalidPasswordException' && e.message) return new AuthError(code, `${messages[code]} (${e.message.replace(/^Password does not conform to policy: /, '')})`);
  return new AuthError(code, messages[code] ?? e?.message ?? 'Something went wrong. Try again.');
}

function promise<T>(run: (resolve: (value: T) => void, reject: (error: unknown) => void) => void, overrides?: Record<string, string>): Promise<T> {
  return new Promise<T>((resolve, reject) => run(resolve, (error) => reject(toAuthError(error, overrides))));
}

/** The app's two-step sign-in, as Cognito reports it for the signed-in user. */
export interface TwoStepStatus {
  enabled: boolean;
}

function userOf(session: CognitoUserSession): AuthUser {
  const claims = session.getIdToken().decodePayload() as { email?: string; sub: string; 'cognito:username'?: string };
  return { email: claims.email ?? claims['cognito:username'] ?? '', sub: claims.sub };
}

type Callback = (error: (Error & { code?: string }) | null, result?: unknown) => void;
interface LibraryClient {
  request(operation: string, params: unknown, callback: Callback): void;
  requestWithRetry(operation: string, params: unknown, callback: Callback): void;
}

/**
 * The library retries every failed refresh with exponential back-off for about six seconds, a refused refresh
 * token (NotAuthorizedException) included, so an expired session would stall each request that long before the
 * sign-in dialog. Retry only what may pass on a second try: the network.
 */
function retryOnlyNetworkErrors(client: LibraryClient) {
  client.requestWithRetry = (operation, params, callback) => {
    const attempt = (n: number) =>
      client.request(operation, params, (error, result) => {
        if (error?.code === 'NetworkError' && n < 3) setTimeout(() => attempt(n + 1), 250 * 2 ** n);
        else callback(error, result);
      });
    attempt(0);
  };
}

export class CognitoAuth {
  private readonly pool: CognitoUserPool;

  constructor(config: AppConfig) {
    this.pool = new CognitoUserPool({
      UserPoolId: config.userPoolId,
      ClientId: config.userPoolClientId,
      endpoint: config.cognitoEndpoint ? `${config.cognitoEndpoint.replace(/\/+$/, '')}/` : undefined,
    });
    const client = (this.pool as unknown as { client?: LibraryClient }).client;
    if (typeof client?.request === 'function') retryOnlyNetworkErrors(client);
  }

  private user(email: string): CognitoUser {
    return new CognitoUser({ Username: email.trim(), Pool: this.pool });
  }

  /**
   * The valid session of the signed-in user, refreshed with the refresh token when the ID token expired; null when
   * there is none or Cognito refused the refresh token. Rejects (AuthError NetworkError) when Cognito is unreachable.
   */
  private session(): Promise<CognitoUserSession | null> {
    const user = this.pool.getCurrentUser();
    if (!user) return Promise.resolve(null);
    return new Promise((resolve, reject) => {
      user.getSession((error: (Error & { code?: string }) | null, session: CognitoUserSession | null) => {
        if (error?.code === 'NetworkError') reject(toAuthError(error));
        else resolve(!error && session?.isValid() ? session : null);
      });
    });
  }

  async currentUser(): Promise<AuthUser | null> {
    const session = await this.session();
    return session ? userOf(session) : null;
  }

  /** The ID token for the API's JWT authorizer (refreshed if needed), or null when the session is gone. */
  async idToken(): Promise<string | null> {
    return (await this.session())?.getIdToken().getJwtToken() ?? null;
  }

  /** Signed in, or (two-step sign-in on) the password was right and the authenticator app's code is wanted. */
  signIn(email: string, password: string): Promise<AuthUser | CodeChallenge> {
    const user = this.user(email);
    user.setAuthenticationFlowType('USER_PASSWORD_AUTH');
    return promise((resolve, reject) =>
      user.authenticateUser(new AuthenticationDetails({ Username: email.trim(), Password: password }), {
        onSuccess: (session) => resolve(userOf(session)),
        onFailure: reject,
        newPasswordRequired: () => reject(new AuthError('NewPasswordRequired', 'This account needs a new password: use “Forgot password”.')),
        totpRequired: () =>
          resolve({
            kind: 'totp',
            email: email.trim(),
            submit: (code) =>
              promise<AuthUser>(
                (done, fail) => user.sendMFACode(code, { onSuccess: (session) => done(userOf(session)), onFailure: fail }, 'SOFTWARE_TOKEN_MFA'),
                appCodeMessages,
              ),
          }),
        mfaRequired: () => reject(new AuthError('SmsMfa', 'This account asks for a text-message code, which SmallPay does not send.')),
      }),
    );
  }

  /** The signed-in user with a valid session (what the account's own settings need), or an AuthError. */
  private async signedInUser(): Promise<CognitoUser> {
    const expired = new AuthError('NotSignedIn', 'Your session has expired. Sign in again.');
    const user = this.pool.getCurrentUser();
    if (!user) throw expired;
    // getCurrentUser() makes a new CognitoUser each time; getSession gives this one its tokens (refreshed if need be).
    await new Promise<void>((resolve, reject) =>
      user.getSession((error: Error | null, session: CognitoUserSession | null) =>
        error ? reject(toAuthError(error)) : session?.isValid() ? resolve() : reject(expired),
      ),
    );
    return user;
  }

  /** Whether the signed-in account asks for an authenticator app's code at sign-in (read from Cognito, not a cache). */
  async twoStepStatus(): Promise<TwoStepStatus> {
    const user = await this.signedInUser();
    return promise((resolve, reject) =>
      user.getUserData(
        (error, data) => {
          if (error || !data) return reject(error);
          resolve({ enabled: (data.UserMFASettingList ?? []).includes('SOFTWARE_TOKEN_MFA') });
        },
        { bypassCache: true },
      ),
    );
  }

  /** Step 1 of turning two-step sign-in on: Cognito makes a new secret for the account (base32). */
  async startTwoStep(): Promise<string> {
    const user = await this.signedInUser();
    return promise((resolve, reject) => user.associateSoftwareToken({ associateSecretCode: resolve, onFailure: reject }));
  }

  /** Step 2: a code of that secret proves the app has it; then sign-in asks for a code from now on. */
  async finishTwoStep(code: string): Promise<void> {
    const user = await this.signedInUser();
    await promise<void>(
      (resolve, reject) => user.verifySoftwareToken(code, 'SmallPay', { onSuccess: () => resolve(), onFailure: reject }),
      appCodeMessages,
    );
    await promise<void>((resolve, reject) =>
      user.setUserMfaPreference(null, { PreferredMfa: true, Enabled: true }, (error) => (error ? reject(error) : resolve())),
    );
  }

  /** Sign-in asks for the password only again. */
  async turnOffTwoStep(): Promise<void> {
    const user = await this.signedInUser();
    await promise<void>((resolve, reject) =>
      user.setUserMfaPreference(null, { PreferredMfa: false, Enabled: false }, (error) => (error ? reject(error) : resolve())),
    );
  }

  signUp(email: string, password: string): Promise<SignUpResult> {
    const attributes = [new CognitoUserAttribute({ Name: 'email', Value: email.trim() })];
    return promise((resolve, reject) =>
      this.pool.signUp(email.trim(), password, attributes, [], (error, result) => {
        if (error || !result) return reject(error);
        resolve({
          confirmed: result.userConfirmed,
          destination: (result as { codeDeliveryDetails?: { Destination?: string } }).codeDeliveryDetails?.Destination,
        });
      }),
    );
  }

  confirmSignUp(email: string, code: string): Promise<void> {
    return promise((resolve, reject) =>
      this.user(email).confirmRegistration(code.trim(), false, (error) => (error ? reject(error) : resolve())),
    );
  }

  resendCode(email: string): Promise<void> {
    return promise((resolve, reject) => this.user(email).resendConfirmationCode((error) => (error ? reject(error) : resolve())));
  }

  forgotPassword(email: string): Promise<void> {
    return promise((resolve, reject) =>
      this.user(email).forgotPassword({ onSuccess: () => resolve(), onFailure: reject, inputVerificationCode: () => resolve() }),
    );
  }

  confirmPassword(email: string, code: string, newPassword: string): Promise<void> {
    return promise((resolve, reject) =>
      this.user(email).confirmPassword(code.trim(), newPassword, { onSuccess: () => resolve(), onFailure: reject }),
    );
  }

  /**
   * Revokes the refresh token (the app client has token revocation on) and forgets the tokens on this device.
   * The local stack's moto has no RevokeToken: there the tokens are only forgotten, which is all a browser can do.
   */
  async signOut(): Promise<void> {
    const user = this.pool.getCurrentUser();
    if (!user) return;
    await Promise.race([
      new Promise<void>((resolve) => user.signOut(() => resolve())),
      new Promise<void>((resolve) => setTimeout(resolve, 3000)),
    ]);
    user.signOut();
  }
}
