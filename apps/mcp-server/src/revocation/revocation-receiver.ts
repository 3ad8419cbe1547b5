/**
 * This MCP server as the last Receiver of the chain: its authorization server (the RAS) pushes Security Events
 * (RFC 8935) when it revokes access (a user disabled, a session ended, a grant lost, one token revoked). Each one, once
 * verified (signature by the RAS's keys, `iss` the RAS, `aud` this resource, `iat` window, `jti` once), is added to
 * the in-memory revocation list that every request is checked against, persisted in the same transaction as its
 * `jti`, and audited; the user's open MCP sessions are closed.
 */

import type { KeyResolver } from '@ema/jwt';
import { type Revocation, RevocationList } from '@ema/resource-server';
import { type AcceptedSecurityEvent, createPushReceiver, type PushReceiver } from '@ema/shared-signals';
import { createSqliteReceivedEvents } from '@ema/shared-signals/sqlite';
import type { AuditLog } from '@ema/storage';
import type { Database } from '@ema/storage/sqlite';
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
}

/** What the receiver needs. */
export interface McpRevocationOptions {
  db: Database;
  config: McpServerConfig;
  /** The RAS's keys (the same resolver as for access tokens: its JWKS, cached). */
  keys: KeyResolver;
  sessions: SessionRegistry;
  audit: Pick<AuditLog, 'record'>;
  /** Epoch milliseconds. */
  now: () => number;
}

/** Loads the persisted revocations into memory and builds the receiver. */
export function createMcpRevocation(options: McpRevocationOptions): McpRevocation {
  const { db, config, sessions, audit, now } = options;
  const store = createSqliteRevocationStore(db);
  const received = createSqliteReceivedEvents(db);
  const list = new RevocationList();
  for (const revocation of store.loadAll()) list.add(revocation);
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
    },
  };
}
