// RFC 6238 codes (HMAC-SHA1, 30 s steps, 6 digits) from a base32 secret, as an authenticator app computes them: the
// browser tests type what a user's phone would show. Checked against RFC 6238's test vectors in tests/totp.test.ts.
import { createHmac } from 'node:crypto';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** Bytes of an RFC 4648 base32 text (any case; spaces and padding ignored). */
export function base32Decode(text) {
  let bits = 0;
  let value = 0;
  const bytes = [];
  for (const c of text.toUpperCase().replace(/[\s=]/g, '')) {
    const index = ALPHABET.indexOf(c);
    if (index < 0) throw new Error(`not base32: ${c}`);
    value = ((value << 5) | index) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      bytes.push((value >> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(bytes);
}

/** The code for the key at a time (seconds since 1970), `digits` long. */
export function totp(key, unixSeconds, digits = 6) {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(unixSeconds / 30)));
  const hash = createHmac('sha1', key).update(counter).digest();
  const offset = hash[hash.length - 1] & 0x0f;
  const binary = hash.readUInt32BE(offset) & 0x7fffffff;
  return String(binary % 10 ** digits).padStart(digits, '0');
}

/**
 * The code of a base32 secret now, with at least `margin` seconds of its step left (waits for the next step
 * otherwise): the local Cognito accepts the current step's code only.
 */
export async function currentCode(secret, margin = 5) {
  const left = 30 - ((Date.now() / 1000) % 30);
  if (left < margin) await new Promise((resolve) => setTimeout(resolve, left * 1000 + 200));
  return totp(base32Decode(secret), Date.now() / 1000);
}
