import type { FastifyReply, FastifyRequest } from 'fastify';
import type { IdpContext } from '../idp-context.js';
import { revokeSessions } from '../ssf/revocation-events.js';
import type { Session } from '../storage/token-types.js';
import { currentSession, SESSION_COOKIE, sessionCookieOptions } from './sso-session.js';

/**
 * Signs the request's user out: in one transaction, ends the SSO session, revokes every grant it issued (codes,
 * IdP access tokens, refresh tokens, and the ID tokens, so none can be exchanged for an ID-JAG afterwards) and
 * emits CAEP session-revoked for it, so each authorization server cuts the tokens that descend from the session.
 * Clears the cookie either way. Returns the ended session, if there was one.
 */
export function signOut(context: IdpContext, request: FastifyRequest, reply: FastifyReply): Session | undefined {
  const active = currentSession(context, request);
  reply.clearCookie(SESSION_COOKIE, sessionCookieOptions(context));
  if (active === undefined) return undefined;
  const { session } = active;
  context.storage.transaction(() =>
    revokeSessions(context, {
      userId: session.userId,
      sessionId: session.id,
      initiatingEntity: 'user',
      reason: 'signed out',
    }),
  );
  return session;
}
