import { describe, expect, it } from 'vitest';
import { csrfToken, verifyCsrfToken } from '../src/index.js';

const secret = 'a-session-cookie-value-of-enough-entropy';

describe('csrfToken / verifyCsrfToken', () => {
  it('[HTML-CSRF-BOUND-TOKEN] accepts the token of the same secret and purpose only', () => {
    const token = csrfToken(secret, 'console');
    expect(verifyCsrfToken(secret, 'console', token)).toBe(true);
    expect(verifyCsrfToken(`${secret}x`, 'console', token)).toBe(false);
    expect(verifyCsrfToken(secret, 'login', token)).toBe(false);
    expect(verifyCsrfToken(secret, 'console', `${token}x`)).toBe(false);
  });

  it('[HTML-CSRF-BOUND-TOKEN] refuses a missing secret, a short secret or a token that is not a string', () => {
    const token = csrfToken(secret, 'console');
    expect(verifyCsrfToken(undefined, 'console', token)).toBe(false);
    expect(verifyCsrfToken('short', 'console', csrfToken('short', 'console'))).toBe(false);
    expect(verifyCsrfToken(secret, 'console', undefined)).toBe(false);
    expect(verifyCsrfToken(secret, 'console', [token])).toBe(false);
  });
});
