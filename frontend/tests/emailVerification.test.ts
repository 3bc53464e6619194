import { describe, expect, it } from 'vitest';
import { normalizeCode } from '../src/settings/EmailVerificationCard';

describe('normalizeCode', () => {
  it('takes six digits as typed or copied', () => {
    expect(normalizeCode('482913')).toBe('482913');
    expect(normalizeCode(' 482 913 ')).toBe('482913');
    expect(normalizeCode('482-913')).toBe('482913');
  });

  it('refuses anything else', () => {
    for (const typed of ['', '48291', '4829134', '48291a', '４８２９１３']) expect(normalizeCode(typed)).toBeNull();
  });
});
