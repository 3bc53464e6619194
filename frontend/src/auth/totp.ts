// Two-step sign-in with an authenticator app (TOTP, RFC 6238): what the app shows to set it up and how it reads
// the code a user types. Cognito makes the secret and checks the codes; nothing here computes one.

export const TOTP_ISSUER = 'SmallPay';

/** The secret as an authenticator app wants it typed: upper case, no padding or spaces. */
export function cleanSecret(secret: string): string {
  return secret.replace(/[\s=]/g, '').toUpperCase();
}

/** The secret in groups of four, easier to read and type (authenticator apps ignore the spaces). */
export function groupSecret(secret: string): string {
  return cleanSecret(secret).match(/.{1,4}/g)?.join(' ') ?? '';
}

/**
 * The otpauth:// link authenticator apps open (Google's Key Uri Format): the label "SmallPay:{email}" names the
 * account in the app's list, the issuer repeats the service's name.
 */
export function otpauthUri(email: string, secret: string): string {
  const label = `${encodeURIComponent(TOTP_ISSUER)}:${encodeURIComponent(email.trim())}`;
  return `otpauth://totp/${label}?secret=${encodeURIComponent(cleanSecret(secret))}&issuer=${encodeURIComponent(TOTP_ISSUER)}`;
}

/**
 * A typed code as Cognito wants it: six ASCII digits. Spaces and dashes (apps show "123 456") are dropped and
 * full-width digits (a Japanese keyboard) read as digits; anything else leaves it invalid (null).
 */
export function normalizeCode(input: string): string | null {
  const digits = input.normalize('NFKC').replace(/[\s\-–]/g, '');
  return /^\d{6}$/.test(digits) ? digits : null;
}
