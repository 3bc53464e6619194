import { describe, expect, it } from 'vitest';
import { cleanSecret, groupSecret, normalizeCode, otpauthUri } from '../src/auth/totp';
// The browser tests' authenticator (plain JavaScript, Node's crypto).
// @ts-expect-error -- an .mjs helper without type declarations
import { base32Decode, totp } from '../browser-tests/totp.mjs';

describe('otpauthUri', () => {
  it('names the account SmallPay:{email} with the secret and the issuer', () => {
    expect(otpauthUri('ana@example.com', 'JBSWY3DPEHPK3PXP')).toBe(
      'otpauth://totp/SmallPay:ana%40example.com?secret=JBSWY3DPEHPK3PXP&issuer=SmallPay',
    );
  });

  it('escapes what would break the link and cleans the secret', () => {
    expect(otpauthUri(' o+b&c?@example.com ', 'jbsw y3dp ehpk 3pxp==')).toBe(
      'otpauth://totp/SmallPay:o%2Bb%26c%3F%40example.com?secret=JBSWY3DPEHPK3PXP&issuer=SmallPay',
    );
  });
});

describe('the secret', () => {
  it('is shown upper case in groups of four', () => {
    expect(groupSecret('jbswy3dpehpk3pxpabc')).toBe('JBSW Y3DP EHPK 3PXP ABC');
    expect(cleanSecret('JBSW Y3DP\n==')).toBe('JBSWY3DP');
    expect(groupSecret('')).toBe('');
  });
});

describe('normalizeCode', () => {
  it('takes six digits, with the spaces and dashes apps show', () => {
    expect(normalizeCode('123456')).toBe('123456');
    expect(normalizeCode(' 123 456 ')).toBe('123456');
    expect(normalizeCode('123-456')).toBe('123456');
    expect(normalizeCode('０１２３４５')).toBe('012345');
  });

  it('refuses anything else', () => {
    expect(normalizeCode('')).toBeNull();
    expect(normalizeCode('12345')).toBeNull();
    expect(normalizeCode('1234567')).toBeNull();
    expect(normalizeCode('12a456')).toBeNull();
    expect(normalizeCode('12.456')).toBeNull();
  });
});

describe("the browser tests' TOTP (RFC 6238)", () => {
  // RFC 6238 appendix B, SHA-1: secret "12345678901234567890", 8 digits.
  const key = Buffer.from('12345678901234567890', 'ascii');
  it.each([
    [59, '94287082'],
    [1111111109, '07081804'],
    [1111111111, '14050471'],
    [1234567890, '89005924'],
    [2000000000, '69279037'],
    [20000000000, '65353130'],
  ])('at %i s gives %s', (time, code) => {
    expect(totp(key, time, 8)).toBe(code);
    expect(totp(key, time)).toBe(code.slice(2));
  });

  it('decodes base32 (RFC 4648 vectors), unpadded and in any case', () => {
    expect(base32Decode('MZXW6YTBOI======').toString()).toBe('foobar');
    expect(base32Decode('mzxw6ytb').toString()).toBe('fooba');
    expect(base32Decode('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ').toString()).toBe('12345678901234567890');
  });
});
