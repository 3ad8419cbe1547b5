import { type IdpContext, nowSeconds } from '../idp-context.js';
import { revokeSessions } from '../ssf/revocation-events.js';
import type { Session } from '../storage/token-types.js';
import { type AdminActor, auditAdminChange } from './admin-audit.js';
import { adminNotFound } from './admin-errors.js';

/** A user's live SSO sessions, newest first. */
export function listUserSessions(context: IdpContext, userId: string): Session[] {
  if (context.storage.findUserById(userId) === undefined) throw adminNotFound('user');
  return context.storage.listUserSessions(userId, nowSeconds(context));
}

/**
 * Revokes every session of a user (an admin's "sign out everywhere": a lost laptop): ends them, revokes every grant
 * of the user, and announces it (CAEP session-revoked for the user), in one transaction.
 */
export function revokeUserSessions(context: IdpContext, actor: AdminActor, userId: string) {
  if (context.storage.findUserById(userId) === undefined) throw adminNotFound('user');
  const revoked = context.storage.transaction(() =>
    revokeSessions(context, { userId, initiatingEntity: 'admin', reason: 'sessions revoked by an administrator' }),
  );
  auditAdminChange(context, actor, 'session.revoke_all', { userId, ...revoked });
  return revoked;
}

/** Revokes one live session (and what it issued), announced as CAEP session-revoked for that session. */
export function revokeSession(context: IdpContext, actor: AdminActor, sessionId: string) {
  const session = context.storage.findSessionById(sessionId);
  if (session === undefined || session.endedAt !== null || session.expiresAt <= nowSeconds(context)) {
    throw adminNotFound('session');
  }
  const revoked = context.storage.transaction(() =>
    revokeSessions(context, {
      userId: session.userId,
      sessionId,
      initiatingEntity: 'admin',
      reason: 'session revoked by an administrator',
    }),
  );
  auditAdminChange(context, actor, 'session.revoke', { userId: session.userId, sid: sessionId, ...revoked });
  return revoked;
}
