/**
 * The IdP's use of the one CSRF scheme of `@ema/html`. Forms shown before there is a session (sign-in, sign-out)
 * are bound to a pre-session cookie's secret and, for sign-in, to the pending sign-in request the form is for; the
 * account page, the admin console and the cookie-authenticated admin API are bound to the session.
 */
import { csrfToken, verifyCsrfToken } from '@ema/html';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { IdpContext } from '../idp-context.js';
import type { SignInRequest } from '../storage/sign-in-types.js';
import { generateOpaqueToken } from '../tokens/opaque-token.js';
import { sessionCookieOptions } from './sso-session.js';

/**
 * The pre-session cookie over https: the `__Host-` prefix (RFC 6265bis §4.1.3.2) makes the browser refuse it unless
 * it is Secure, has `Path=/` and no `Domain`, so no sibling subdomain or plain-http page can plant or overwrite it.
 */
export const LOGIN_CSRF_COOKIE_HOST = '__Host-idp_csrf';
/**
 * The same cookie on the http loopback demo: browsers refuse a `__Host-` cookie without `Secure`, and `Secure` needs
 * https, so there it goes without the prefix (loopback only, under the named development opt-out).
 */
export const LOGIN_CSRF_COOKIE_LOOPBACK = 'idp_csrf';

const SIGN_IN_PURPOSE = 'idp-sign-in';
const SIGN_OUT_PURPOSE = 'idp-sign-out';
const ACCOUNT_PURPOSE = 'idp-account';
const ADMIN_PURPOSE = 'idp-admin';

/** What a pre-session form protects: one pending sign-in request, or the sign-out confirmation. */
export type LoginCsrfPurpose = { readonly signIn: SignInRequest } | 'sign-out';

/** The pre-session cookie's name for this IdP: `__Host-` prefixed whenever the issuer is https. */
export function loginCsrfCookieName(context: Pick<IdpContext, 'config'>): string {
  return context.config.issuer.startsWith('https:') ? LOGIN_CSRF_COOKIE_HOST : LOGIN_CSRF_COOKIE_LOOPBACK;
}

// A token for one sign-in request is worthless for another: a form (or a token leaked from it) answers one request.
function purposeOf(purpose: LoginCsrfPurpose): string {
  return purpose === 'sign-out' ? SIGN_OUT_PURPOSE : `${SIGN_IN_PURPOSE}:${purpose.signIn.id}`;
}

/** A pre-session form's CSRF token, from the existing cookie's secret or a fresh one set as the cookie. */
export function loginCsrfToken(
  context: IdpContext,
  request: FastifyRequest,
  reply: FastifyReply,
  purpose: LoginCsrfPurpose,
): string {
  const name = loginCsrfCookieName(context);
  let secret = request.cookies[name];
  if (secret === undefined || secret.length < 32) {
    secret = generateOpaqueToken();
    // Path=/ and no Domain (sessionCookieOptions sets neither), Secure over https: what __Host- requires.
    reply.setCookie(name, secret, sessionCookieOptions(context));
  }
  return csrfToken(secret, purposeOf(purpose));
}

/** Checks a submitted pre-session form token against its cookie and the purpose it was issued for. */
export function verifyLoginCsrf(
  context: IdpContext,
  request: FastifyRequest,
  purpose: LoginCsrfPurpose,
  submitted: string | undefined,
): boolean {
  return verifyCsrfToken(request.cookies[loginCsrfCookieName(context)], purposeOf(purpose), submitted);
}

/** The account page's CSRF token, bound to the session (its secret cookie value). */
export function accountCsrfToken(sessionToken: string): string {
  return csrfToken(sessionToken, ACCOUNT_PURPOSE);
}

/** Checks a submitted account-page token against the session. */
export function verifyAccountCsrf(sessionToken: string, submitted: string | undefined): boolean {
  return verifyCsrfToken(sessionToken, ACCOUNT_PURPOSE, submitted);
}

/** The admin console's CSRF token, bound to the session (its secret cookie value). */
export function sessionCsrfToken(sessionToken: string): string {
  return csrfToken(sessionToken, ADMIN_PURPOSE);
}

/** Checks a submitted admin CSRF token against the session. */
export function verifySessionCsrf(sessionToken: string, submitted: string | undefined): boolean {
  return verifyCsrfToken(sessionToken, ADMIN_PURPOSE, submitted);
}
