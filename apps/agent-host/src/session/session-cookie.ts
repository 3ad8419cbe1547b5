/**
 * The session cookie (HttpOnly, SameSite=Lax, Secure on https, signed) and the guard that loads the session for
 * protected routes, plus the CSRF check of POST forms.
 */
import { verifyCsrfToken } from '@ema/html';
import type {} from '@fastify/cookie';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AgentHostContext } from '../context.js';
import type { AgentSession } from '../storage/session-store.js';
import { SESSION_CSRF_PURPOSE } from './csrf-purpose.js';

export const SESSION_COOKIE = 'ema_session';
export const LOGIN_COOKIE = 'ema_login';

declare module 'fastify' {
  interface FastifyRequest {
    /** The signed-in session, set by {@link requireSession} on protected routes. */
    agentSession: AgentSession | null;
  }
}

/** Cookie attributes for this host. */
export function cookieOptions(context: AgentHostContext, maxAgeSeconds: number) {
  return {
    path: '/',
    httpOnly: true,
    sameSite: 'lax' as const,
    secure: context.config.baseUrl.startsWith('https:'),
    signed: true,
    maxAge: maxAgeSeconds,
  };
}

/** Reads a signed cookie's value, or undefined when absent or tampered with. */
export function readSignedCookie(request: FastifyRequest, name: string): string | undefined {
  const raw = request.cookies[name];
  if (raw === undefined) return undefined;
  const unsigned = request.unsignCookie(raw);
  return unsigned.valid && unsigned.value !== null ? unsigned.value : undefined;
}

/** The session of the request, or why there is none (a cookie that no longer names a live session: expired). */
export function loadSession(context: AgentHostContext, request: FastifyRequest): AgentSession | 'none' | 'expired' {
  const id = readSignedCookie(request, SESSION_COOKIE);
  if (id === undefined) return request.cookies[SESSION_COOKIE] === undefined ? 'none' : 'expired';
  const found = context.sessions.find(id);
  return 'session' in found ? found.session : 'expired';
}

/** preHandler of protected pages: no session -> the sign-in page (saying so when it expired). */
export function requireSession(context: AgentHostContext) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const session = loadSession(context, request);
    if (session === 'none') return reply.redirect('/', 303);
    if (session === 'expired') {
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.redirect('/?expired=1', 303);
    }
    request.agentSession = session;
  };
}

/** The session set by {@link requireSession} (routes using this are behind it). */
export function sessionOf(request: FastifyRequest): AgentSession {
  const session = request.agentSession;
  if (session === null) throw new Error('route is not behind requireSession');
  return session;
}

/** Checks a form's CSRF token against the one the request's session cookie gives (`@ema/html`'s one scheme). */
export function validCsrf(request: FastifyRequest, submitted: unknown): boolean {
  return verifyCsrfToken(readSignedCookie(request, SESSION_COOKIE), SESSION_CSRF_PURPOSE, submitted);
}
