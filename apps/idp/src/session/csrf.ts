/**
 * The IdP's use of the one CSRF scheme of `@ema/html`: the sign-in and sign-out forms are bound to a pre-session
 * cookie (there may be no session yet), the admin console and the cookie-authenticated admin API to the session.
 */
import { csrfToken, verifyCsrfToken } from '@ema/html';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { IdpContext } from '../idp-context.js';
import { generateOpaqueToken } from '../tokens/opaque-token.js';
import { sessionCookieOptions } from './sso-session.js';

/** Cookie holding the secret the sign-in form's CSRF token is derived from. */
export const LOGIN_CSRF_COOKIE = 'idp_csrf';
const SIGN_IN_PURPOSE = 'idp-sign-in';
const ADMIN_PURPOSE = 'idp-admin';

/** The sign-in form's CSRF token, from the existing cookie's secret or a fresh one set as a cookie. */
export function loginCsrfToken(context: IdpContext, request: FastifyRequest, reply: FastifyReply): string {
  let secret = request.cookies[LOGIN_CSRF_COOKIE];
  if (secret === undefined || secret.length < 32) {
    secret = generateOpaqueToken();
    reply.setCookie(LOGIN_CSRF_COOKIE, secret, sessionCookieOptions(context));
  }
  return csrfToken(secret, SIGN_IN_PURPOSE);
}

/** Checks a submitted sign-in (or sign-out) form token against its cookie. */
export function verifyLoginCsrf(request: FastifyRequest, submitted: string | undefined): boolean {
  return verifyCsrfToken(request.cookies[LOGIN_CSRF_COOKIE], SIGN_IN_PURPOSE, submitted);
}

/** The admin console's CSRF token, bound to the session (its secret cookie value). */
export function sessionCsrfToken(sessionToken: string): string {
  return csrfToken(sessionToken, ADMIN_PURPOSE);
}

/** Checks a submitted admin CSRF token against the session. */
export function verifySessionCsrf(sessionToken: string, submitted: string | undefined): boolean {
  return verifyCsrfToken(sessionToken, ADMIN_PURPOSE, submitted);
}
