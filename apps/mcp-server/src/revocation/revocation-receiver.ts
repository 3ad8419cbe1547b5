/**
 * This MCP server as the last Receiver of the chain: its authorization server (the RAS) pushes Security Events
 * (RFC 8935) when it revokes access (a user disabled, a session ended, a grant lost, one token revoked). Each one, once
 * verified (signature by the RAS's keys, `iss` the RAS, `aud` this resource, `iat` window, `jti` once), is added to
 * the in-memory revocation list that every request is checked against, persisted in the same transaction as its
 * `jti`, and audited; the user's open MCP sessions are closed. Several instances sharing one PostgreSQL database: the
 * balancer pushes each event to one of them, and the others reload the list when the table's commit watch fires.
 */

import type { KeyResolver } from '@ema/jwt';
import { type Revocation, RevocationList } from '@ema/resource-server';
import { type AcceptedSecurityEvent, createPushReceiver, type PushReceiver } from '@ema/shared-signals';
import { createSqliteReceivedEvents } from '@ema/shared-signals/sqlite';
import type { AuditLog, CommitWatch, SqlDatabase } from '@ema/storage';
import type { McpServerConfig } from '../config.js';
import type { SessionRegistry } from '../mcp/session-registry.js';
import { createSqliteRevocationStore } from './revocation-store.js';

/** The audit type of a revocation applied here. */
export const AUDIT_REVOCATION = 'mcp.revocation';

/** The revocation list, its receiver and its purge. */
export interface McpRevocation {
  readonly list: RevocationList;
  readonly receive: PushReceiver;
  /** Forgets revocations (and received `jti`s) that no token they cover can outlive. */
  purge(nowMs: number): void;
  /**
   * The hot path's look at the commit watch: reloads the list when another instance's revocation may be missed (the
   * listening connection is down; notices reload at once without it). A no-op without a watch.
   */
  refresh(): void;
}

/** What the receiver needs. */
export interface McpRevocationOptions {
  db: SqlDatabase;
  config: McpServerConfig;
  /** The RAS's keys (the same resolver as for access tokens: its JWKS, cached). */
  keys: KeyResolver;
  sessions: SessionRegistry;
  audit: Pick<AuditLog, 'record'>;
  /** Epoch milliseconds. */
  now: () => number;
  /** Commits of other instances to `revocations` (PostgreSQL); absent when this process is the only writer. */
  changes?: CommitWatch;
}

/** Loads the persisted revocations into memory and builds the receiver. */
export function createMcpRevocation(options: McpRevocationOptions): McpRevocation {
  const { db, config, sessions, audit, now } = options;
  const store = createSqliteRevocationStore(db);
  const received = createSqliteReceivedEvents(db);
  const list = new RevocationList();
  // What this instance has applied (a cut-off moved forward is new again): a reload acts on the rest only.
  const applied = new Set<string>();
  for (const revocation of store.loadAll()) {
    list.add(revocation);
    applied.add(appliedKey(revocation));
  }
  // Another instance received a revocation (MCP-PG-REVOCATION-SHARED): refuse its tokens here too, and close the
  // user's sessions this instance holds, as the receiving instance did with its own.
  const reload = (): void => {
    for (const revocation of store.loadAll()) {
      // Adding is idempotent and only moves a cut-off (or how long it is kept) forward.
      list.add(revocation);
      const seen = appliedKey(revocation);
      if (applied.has(seen)) continue;
      applied.add(seen);
      if (revocation.kind !== 'token') sessions.closeOwnedBy(revocation.issuer, revocation.subject);
    }
  };
  const refresh = options.changes?.(reload) ?? (() => undefined);
  const retention = config.revocationRetentionSeconds;
  const receipt = db.transaction((work: () => void) => work());
  const inReceipt = async <T>(work: () => T): Promise<T> => {
    let result: { value: T } | undefined;
    receipt.immediate(() => {
      result = { value: work() };
    });
    if (result === undefined) throw new Error('the receipt transaction did not run');
    return result.value;
  };

  const apply = ({ event, claims }: AcceptedSecurityEvent): void => {
    let revocation: Revocation | undefined;
    switch (event.kind) {
      case 'token':
        // Kept until the token itself expires (plus the tolerance), or the retention when its expiry is not given.
        revocation = {
          kind: 'token',
          issuer: event.iss,
          jti: event.jti,
          until: (event.expiresAt ?? event.at + retention) + config.clockToleranceSeconds,
        };
        break;
      case 'subject':
        revocation = {
          kind: 'subject',
          issuer: event.user.iss,
          subject: event.user.sub,
          cutoff: event.at,
          until: event.at + retention,
        };
        break;
      case 'session':
        revocation = {
          kind: 'session',
          issuer: event.user.iss,
          subject: event.user.sub,
          sid: event.sessionId,
          cutoff: event.at,
          until: event.at + retention,
        };
        break;
      default:
        audit.record({
          type: AUDIT_REVOCATION,
          outcome: 'info',
          reason: event.kind,
          jti: claims.jti,
          details: { event_type: event.eventType },
        });
        return;
    }
    store.save(revocation);
    list.add(revocation);
    applied.add(appliedKey(revocation));
    // The user's open MCP sessions end too (for one token: none; its other sessions may go on).
    const closed = revocation.kind === 'token' ? 0 : sessions.closeOwnedBy(revocation.issuer, revocation.subject);
    audit.record({
      type: AUDIT_REVOCATION,
      outcome: 'success',
      reason: revocation.kind,
      ...(revocation.kind === 'token' ? { jti: revocation.jti } : { subject: revocation.subject }),
      resource: config.resource,
      details: { event_type: event.eventType, set_jti: claims.jti, iss: claims.iss, sessions_closed: closed },
    });
  };

  const receive = createPushReceiver({
    audience: config.resource,
    algorithms: config.algorithms,
    trustedTransmitters: (iss) =>
      iss === config.authorizationServer
        ? { issuer: iss, keys: options.keys, algorithms: config.algorithms }
        : undefined,
    // No push credential: the RAS's signature (its keys are already trusted for access tokens) authenticates it.
    maxAgeSeconds: config.ssfMaxEventAgeSeconds,
    clockToleranceSeconds: config.clockToleranceSeconds,
    receivedEvents: received,
    commit: { submit: inReceipt },
    apply,
    now,
  });

  return {
    list,
    receive,
    purge: (nowMs) => {
      const nowSeconds = Math.floor(nowMs / 1000);
      list.purge(nowSeconds);
      store.purge(nowSeconds);
      received.purge(nowMs);
      applied.clear();
      for (const revocation of list.entries()) applied.add(appliedKey(revocation));
    },
    refresh,
  };
}

/** One revocation at its cut-off, as a set key. */
function appliedKey(revocation: Revocation): string {
  switch (revocation.kind) {
    case 'token':
      return ['token', revocation.issuer, revocation.jti].join('\u0000');
    case 'subject':
      return ['subject', revocation.issuer, revocation.subject, revocation.cutoff].join('\u0000');
    case 'session':
      return ['session', revocation.issuer, revocation.subject, revocation.sid, revocation.cutoff].join('\u0000');
  }
}
