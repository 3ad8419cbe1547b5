import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { IdpContext } from '../idp-context.js';
import { generateOpaqueToken } from '../tokens/opaque-token.js';
import { sessionCookieOptions } from './sso-session.js';

/** Cookie of the sign-in form's double-submit CSRF token (there is no session yet to bind it to). */
export const LOGIN_CSRF_COOKIE = 'idp_csrf';
/** Form field carrying the CSRF token on every state-changing form. */
export const CSRF_FIELD = 'csrf_token';
/** Header carrying the CSRF token on admin API calls authenticated by the session cookie. */
export const CSRF_HEADER = 'x-csrf-token';

function same(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** The sign-in form's CSRF token: the existing cookie's, or a fresh one set as a cookie. */
export function loginCsrfToken(context: IdpContext, request: FastifyRequest, reply: FastifyReply): string {
  const existing = request.cookies[LOGIN_CSRF_COOKIE];
  if (existing !== undefined && existing.length >= 32) return existing;
  const token = generateOpaqueToken();
  reply.setCookie(LOGIN_CSRF_COOKIE, token, sessionCookieOptions(context));
  return token;
}

/** Checks a submitted sign-in form token against its cookie (double submit, OWASP CSRF cheat sheet). */
export function verifyLoginCsrf(request: FastifyRequest, submitted: string | undefined): boolean {
  const cookie = request.cookies[LOGIN_CSRF_COOKIE];
  return cookie !== undefined && submitted !== undefined && cookie.length >= 32 && same(cookie, submitted);
}

/** The admin console's CSRF token, bound to the session: a hash of the (secret) session cookie value. */
export function sessionCsrfToken(sessionToken: string): string {
  return createHash('sha256').update(`csrf:${sessionToken}`).digest('base64url');
}

/** Checks a submitted admin CSRF token against the session. */
export function verifySessionCsrf(sessionToken: string, submitted: string | undefined): boolean {
  return submitted !== undefined && same(sessionCsrfToken(sessionToken), submitted);
}
