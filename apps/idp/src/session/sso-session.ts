import type { FastifyReply, FastifyRequest } from 'fastify';
import { type IdpContext, nowSeconds } from '../idp-context.js';
import type { User } from '../storage/directory-types.js';
import type { Session } from '../storage/token-types.js';
import { generateId, generateOpaqueToken, hashOpaqueToken } from '../tokens/opaque-token.js';

/** Name of the SSO session cookie. */
export const SESSION_COOKIE = 'idp_session';

/** A live SSO session and its (active) user. */
export interface ActiveSession {
  readonly session: Session;
  readonly user: User;
  /** The cookie value; the admin console derives its CSRF token from it. */
  readonly token: string;
}

/** Cookie attributes: HttpOnly, SameSite=Lax, and Secure whenever the issuer is https (everywhere but loopback). */
export function sessionCookieOptions(context: Pick<IdpContext, 'config'>) {
  return {
    httpOnly: true,
    sameSite: 'lax' as const,
    secure: context.config.issuer.startsWith('https:'),
    path: '/',
  };
}

/** Starts an SSO session after a successful sign-in and sets its cookie. */
export function startSession(context: IdpContext, reply: FastifyReply, user: User, amr: string[]): ActiveSession {
  const now = nowSeconds(context);
  const token = generateOpaqueToken();
  const session: Session = {
    id: generateId('sid'),
    userId: user.id,
    authTime: now,
    amr,
    expiresAt: now + context.config.sessionTtlSeconds,
  };
  context.storage.insertSession({ ...session, tokenHash: hashOpaqueToken(token), createdAt: now });
  reply.setCookie(SESSION_COOKIE, token, {
    ...sessionCookieOptions(context),
    maxAge: context.config.sessionTtlSeconds,
  });
  return { session, user, token };
}

/**
 * Raises the request's session after a further factor (a step-up): the methods it adds, a new authentication time
 * (OIDC Core §2 `auth_time`: the user just authenticated) and a new secret in a new cookie: a privilege change
 * renews the session token (no fixation), while the session itself, its id and its first factor stay. Undefined
 * when the session ended meanwhile.
 */
export function upgradeSession(
  context: IdpContext,
  reply: FastifyReply,
  active: ActiveSession,
  amr: string[],
): ActiveSession | undefined {
  const token = generateOpaqueToken();
  const authTime = nowSeconds(context);
  if (!context.storage.upgradeSession(active.session.id, { tokenHash: hashOpaqueToken(token), authTime, amr })) {
    return undefined;
  }
  reply.setCookie(SESSION_COOKIE, token, {
    ...sessionCookieOptions(context),
    maxAge: Math.max(0, active.session.expiresAt - authTime),
  });
  return { session: { ...active.session, authTime, amr }, user: active.user, token };
}

/** The request's live session, when its cookie names one whose user still exists and is not disabled. */
export function currentSession(context: IdpContext, request: FastifyRequest): ActiveSession | undefined {
  const token = request.cookies[SESSION_COOKIE];
  if (token === undefined || token === '') return undefined;
  const session = context.storage.findSession(hashOpaqueToken(token), nowSeconds(context));
  if (session === undefined) return undefined;
  const user = context.storage.findUserById(session.userId);
  if (user === undefined || user.disabled) return undefined;
  return { session, user, token };
}

/** Ends the request's session (if any) and clears its cookie. */
export function endSession(context: IdpContext, request: FastifyRequest, reply: FastifyReply): Session | undefined {
  const active = currentSession(context, request);
  if (active !== undefined) context.storage.endSession(active.session.id, nowSeconds(context));
  reply.clearCookie(SESSION_COOKIE, sessionCookieOptions(context));
  return active?.session;
}
