/**
 * The one CSRF defence of the server-rendered apps (the IdP's sign-in form and admin console, the agent host's
 * forms): a token derived from a secret that the browser holds only in an HttpOnly cookie (the session cookie, or,
 * before there is a session, a cookie set with the form). A cross-site page can make the browser send the cookie
 * but can read neither the cookie nor the page, so it cannot produce the token (OWASP CSRF cheat sheet: signed
 * double submit, session-bound). Nothing is stored server-side, and the token changes with the session.
 */
import { createHash, timingSafeEqual } from 'node:crypto';

/** The form field that carries the token on every state-changing form. */
export const CSRF_FIELD = 'csrf_token';
/** The header that carries the token on JSON API calls authenticated by a session cookie. */
export const CSRF_HEADER = 'x-csrf-token';

/**
 * The CSRF token of `secret` (a cookie value of at least 128 bits of entropy) for `purpose` (which form family it
 * protects, so a token for one purpose is useless for another).
 */
export function csrfToken(secret: string, purpose: string): string {
  return createHash('sha256').update(`csrf\n${purpose}\n${secret}`).digest('base64url');
}

/** Constant-time check of a submitted token against the one `secret` gives for `purpose`; false when any is missing. */
export function verifyCsrfToken(secret: string | undefined, purpose: string, submitted: unknown): boolean {
  if (secret === undefined || secret.length < 16 || typeof submitted !== 'string') return false;
  const expected = Buffer.from(csrfToken(secret, purpose));
  const actual = Buffer.from(submitted);
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}
