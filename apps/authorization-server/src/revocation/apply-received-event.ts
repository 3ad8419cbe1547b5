/**
 * What this RAS does with a verified Security Event from an IdP (inside the commit that records its `jti`): record
 * the cut-off (so ID-JAGs issued before it, and access tokens this RAS issued up to now, are refused), forward the
 * revocation to the MCP servers, and audit it. A verification event marks the stream verified.
 */
import { EVENT_TYPE_ACCOUNT_DISABLED, EVENT_TYPE_ACCOUNT_PURGED } from '@ema/protocol';
import {
  type AcceptedSecurityEvent,
  accountDisabled,
  accountPurged,
  type SecurityEvent,
  sessionRevoked,
} from '@ema/shared-signals';
import type { AuditLog } from '@ema/storage';
import type { CutOffStorage } from './cutoff-storage.js';
import { type Forwarding, forwardEvent } from './forward-events.js';
import type { SsfSubscriptionStorage } from './ssf-subscriptions.js';

/** What applying an event needs. */
export interface ApplyDependencies {
  cutOffs: CutOffStorage;
  subscriptions: SsfSubscriptionStorage;
  forwarding: Forwarding;
  audit: Pick<AuditLog, 'record'>;
  /** The local account of an IdP user, if one was ever provisioned (a pure read). */
  accountOf: (iss: string, sub: string) => string | undefined;
}

/** Applies one accepted event. Synchronous, throws only for storage failures. */
export function applyReceivedEvent(deps: ApplyDependencies, accepted: AcceptedSecurityEvent): void {
  const { event, claims } = accepted;
  const appliedAt = Math.floor(deps.forwarding.now() / 1000);
  const base = { type: 'ssf.received', outcome: 'success' as const, jti: claims.jti };
  if (event.kind === 'verification') {
    deps.subscriptions.verified(claims.iss, deps.forwarding.now());
    deps.audit.record({ ...base, reason: 'verification', details: { iss: claims.iss, event_type: event.eventType } });
    return;
  }
  if (event.kind !== 'subject' && event.kind !== 'session') {
    deps.audit.record({
      ...base,
      outcome: 'info',
      reason: 'ignored',
      details: { iss: claims.iss, event_type: event.eventType },
    });
    return;
  }
  const { user } = event;
  deps.cutOffs.record({
    iss: user.iss,
    sub: user.sub,
    scope:
      event.kind === 'session'
        ? { kind: 'session', sid: event.sessionId }
        : event.resource === undefined
          ? { kind: 'user' }
          : { kind: 'resource', resource: event.resource },
    eventAt: event.at,
    appliedAt,
    reason: event.eventType,
  });
  const account = deps.accountOf(user.iss, user.sub);
  // No account here: this RAS never issued a token to the user, so there is nothing to revoke downstream.
  const forwarded =
    account === undefined
      ? []
      : forwardEvent(
          deps.forwarding,
          downstreamEvent(accepted, { iss: deps.forwarding.issuer, sub: account }, appliedAt),
          event.kind === 'subject' && event.resource !== undefined ? [event.resource] : undefined,
          claims.txn,
        );
  deps.audit.record({
    ...base,
    reason:
      event.kind === 'session' ? 'session_revoked' : event.resource === undefined ? 'user_revoked' : 'grant_revoked',
    subject: user.sub,
    ...(event.kind === 'subject' && event.resource !== undefined ? { resource: event.resource } : {}),
    details: {
      iss: claims.iss,
      event_type: event.eventType,
      event_at: event.at,
      account_id: account ?? null,
      ...(event.kind === 'session' ? { sid: event.sessionId } : {}),
      forwarded_to: forwarded,
    },
  });
}

// The same revocation in this RAS's words: about its account, as of now on its clock.
function downstreamEvent(
  accepted: AcceptedSecurityEvent,
  account: { iss: string; sub: string },
  occurredAt: number,
): SecurityEvent {
  const { event } = accepted;
  if (event.kind === 'session') {
    return sessionRevoked({ user: account, sessionId: event.sessionId, occurredAt, initiatingEntity: 'system' });
  }
  if (event.kind === 'subject' && event.eventType === EVENT_TYPE_ACCOUNT_DISABLED) {
    return accountDisabled({ user: account, occurredAt });
  }
  if (event.kind === 'subject' && event.eventType === EVENT_TYPE_ACCOUNT_PURGED) {
    return accountPurged({ user: account, occurredAt });
  }
  // Every session of the user (session-revoked without a session), or their grant at one resource (policy):
  // downstream, every token of the account up to now ends.
  return sessionRevoked({
    user: account,
    occurredAt,
    initiatingEntity: event.kind === 'subject' && event.resource !== undefined ? 'policy' : 'system',
  });
}
