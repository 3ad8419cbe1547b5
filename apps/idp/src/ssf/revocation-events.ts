/**
 * Where the IdP's changes become Security Events. Each function runs inside the transaction of the change (the
 * caller's), so the outbox entry commits with it: a user disabled or deleted (RISC), a session ended by sign-out or
 * by an admin (CAEP session-revoked, after revoking what the session issued), and an admin policy change that takes
 * a grant away (this project's grant-revoked, one per user and resource, to that resource's authorization server).
 */
import { randomUUID } from 'node:crypto';
import { grantsLost, type PolicySnapshot } from '@ema/policy';
import {
  accountDisabled,
  accountPurged,
  grantRevoked,
  type InitiatingEntity,
  sessionRevoked,
} from '@ema/shared-signals';
import { type IdpContext, nowSeconds } from '../idp-context.js';
import type { ProtectedResource } from '../storage/directory-types.js';

/** RISC account-disabled for a user just disabled. */
export function emitAccountDisabled(context: IdpContext, userId: string): void {
  const user = { iss: context.config.issuer, sub: userId };
  context.signals.emit(accountDisabled({ user, occurredAt: nowSeconds(context) }));
}

/** RISC account-purged for a user just deleted. */
export function emitAccountPurged(context: IdpContext, userId: string): void {
  const user = { iss: context.config.issuer, sub: userId };
  context.signals.emit(accountPurged({ user, occurredAt: nowSeconds(context) }));
}

/**
 * Ends one SSO session (`sessionId`) or every session of the user (no `sessionId`), revokes every grant those
 * sessions issued (codes, access and refresh tokens, ID tokens: none can be exchanged afterwards), and emits CAEP
 * session-revoked. Call inside a transaction.
 */
export function revokeSessions(
  context: IdpContext,
  revocation: { userId: string; sessionId?: string; initiatingEntity: InitiatingEntity; reason: string },
): { sessions: number; grants: number; idTokens: number } {
  const { storage } = context;
  const at = nowSeconds(context);
  let sessions: number;
  let revoked: { grants: number; idTokens: number };
  if (revocation.sessionId === undefined) {
    sessions = storage.endUserSessions(revocation.userId, at);
    revoked = storage.revokeUserGrants(revocation.userId, at, revocation.reason);
  } else {
    storage.endSession(revocation.sessionId, at);
    sessions = 1;
    revoked = storage.revokeSessionGrants(revocation.sessionId, at, revocation.reason);
  }
  context.signals.emit(
    sessionRevoked({
      user: { iss: context.config.issuer, sub: revocation.userId },
      sessionId: revocation.sessionId,
      occurredAt: at,
      initiatingEntity: revocation.initiatingEntity,
      reasonAdmin: revocation.reason,
    }),
  );
  return { sessions, ...revoked };
}

function policySnapshot(context: IdpContext, resources: readonly ProtectedResource[]): PolicySnapshot {
  const { storage } = context;
  return {
    users: storage.listUsers().map((user) => ({ id: user.id, username: user.username, groups: [...user.groups] })),
    resources,
    rules: storage.listPolicyRules(),
  };
}

/**
 * Runs an admin policy change (a rule, a group, a membership, a resource) in one transaction, compares who could
 * obtain which scopes before and after (`grantsLost` of `@ema/policy`), and emits a grant-revoked event for each
 * user and resource that lost some, to the authorization server of that resource only. Returns the change's result.
 */
export function withPolicyChange<T>(context: IdpContext, change: () => T): T {
  const { storage } = context;
  return storage.transaction(() => {
    const resources = storage.listResources();
    const before = policySnapshot(context, resources);
    const result = change();
    const after = policySnapshot(context, storage.listResources());
    const clientIds = storage
      .listClients()
      .filter((client) => client.mayRequestIdJag)
      .map((client) => client.clientId);
    const occurredAt = nowSeconds(context);
    const lost = grantsLost(before, after, { clientIds, now: occurredAt });
    const txn = randomUUID();
    for (const loss of lost) {
      const resource = resources.find((candidate) => candidate.id === loss.resourceId);
      if (resource === undefined) continue;
      const event = grantRevoked({
        issuer: context.config.issuer,
        user: { iss: context.config.issuer, sub: loss.userId },
        resource: resource.resource,
        scopesRevoked: loss.scopes,
        occurredAt,
      });
      context.signals.emit(event, { audience: resource.audience, txn });
    }
    return result;
  });
}
