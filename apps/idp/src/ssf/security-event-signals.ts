/**
 * The IdP as an SSF Transmitter: its streams, its outbox and its delivery loop. `emit` puts an event in the outbox
 * for every stream that carries it, inside the transaction of the change that causes it (a rolled-back change sends
 * nothing; a committed one cannot lose its event), and wakes the delivery loop once that transaction is over.
 */
import { randomUUID } from 'node:crypto';
import type { KeyStore } from '@ema/oauth-server';
import {
  EVENT_NAME_GRANT_REVOKED,
  EVENT_TYPE_ACCOUNT_DISABLED,
  EVENT_TYPE_ACCOUNT_PURGED,
  EVENT_TYPE_SESSION_REVOKED,
  issuerEventType,
} from '@ema/protocol';
import {
  createDeliveryLoop,
  type DeliveryLoop,
  type DeliveryReport,
  fanOut,
  readUser,
  type SecurityEvent,
  type SsfStreamStorage,
  signAtDelivery,
  unsignedClaims,
  verification,
} from '@ema/shared-signals';
import { createSqliteOutbox, createSqliteStreamStorage, type SqliteOutbox } from '@ema/shared-signals/sqlite';
import type { AuditLog, SqlDatabase } from '@ema/storage';
import { generateTimeOrderedId } from '../tokens/opaque-token.js';
import { createSqliteSsfReceiverStorage, type SsfReceiverStorage } from './ssf-receivers.js';

/** The event types this IdP sends on its streams (`events_supported`). */
export function supportedEventTypes(issuer: string): string[] {
  return [
    EVENT_TYPE_SESSION_REVOKED,
    EVENT_TYPE_ACCOUNT_DISABLED,
    EVENT_TYPE_ACCOUNT_PURGED,
    issuerEventType(issuer, EVENT_NAME_GRANT_REVOKED),
  ];
}

/** The IdP's transmitter. */
export interface SecurityEventSignals {
  readonly streams: SsfStreamStorage;
  readonly receivers: SsfReceiverStorage;
  readonly outbox: SqliteOutbox;
  /**
   * Enqueues `event` on every stream that carries it (only the streams of `audience`, for an event about one
   * resource). Call inside the transaction of the change; delivery starts once it is over. Returns how many SETs.
   */
  emit(event: SecurityEvent, options?: { audience?: string; txn?: string }): number;
  /** SSF 1.0 §8.1.4: a verification event on one stream. */
  verify(streamId: string, audience: string, state: string | undefined): void;
  /** Resolves once nothing is pending or every pending entry waits for a retry. */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

/** What the transmitter needs. */
export interface SignalsOptions {
  db: SqlDatabase;
  issuer: string;
  keyStore: KeyStore;
  audit: AuditLog;
  retryMaxDelayMs: number;
  maxDeliveryAgeSeconds: number;
  fetch?: typeof fetch;
  now: () => number;
  onError: (error: unknown) => void;
}

/** Builds the transmitter and starts its delivery loop (which picks up what the outbox still holds). */
export function createSecurityEventSignals(options: SignalsOptions): SecurityEventSignals {
  const { db, issuer, audit, now } = options;
  const streams = createSqliteStreamStorage(db);
  const outbox = createSqliteOutbox(db);
  const newJti = () => generateTimeOrderedId('set', now());
  const loop: DeliveryLoop = createDeliveryLoop({
    outbox,
    destinations: (streamId) => {
      const stream = streams.findStream(streamId);
      if (stream === undefined || stream.status === 'disabled') return undefined;
      return { endpointUrl: stream.endpointUrl, authorization: stream.authorization ?? undefined };
    },
    // Signed at each attempt with the current key and a fresh iat (RFC 8417 §2.2).
    sign: signAtDelivery(() => options.keyStore.signer(), now),
    retry: { maxDelayMs: options.retryMaxDelayMs, maxAgeMs: options.maxDeliveryAgeSeconds * 1000 },
    ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
    now,
    onReport: (report) => auditDelivery(audit, report),
    onError: options.onError,
  });
  let wakeScheduled = false;
  // better-sqlite3 transactions are synchronous: by the next turn of the event loop the change has committed (or
  // rolled back, and the loop finds nothing new).
  const wakeAfterCommit = () => {
    if (wakeScheduled) return;
    wakeScheduled = true;
    setImmediate(() => {
      wakeScheduled = false;
      loop.wake();
    });
  };

  return {
    streams,
    receivers: createSqliteSsfReceiverStorage(db),
    outbox,
    emit(event, emitOptions = {}) {
      const txn = emitOptions.txn ?? randomUUID();
      const enqueued = fanOut(event, {
        issuer,
        outbox,
        streams: streams.listStreams(),
        txn,
        newJti,
        now: now(),
        ...(emitOptions.audience === undefined ? {} : { audience: emitOptions.audience }),
      });
      const user = readUser(event.subject);
      audit.record({
        type: 'ssf.event',
        outcome: 'info',
        ...(user === undefined ? {} : { subject: user.sub }),
        details: { event_type: event.eventType, txn, sets: enqueued, ...event.payload },
      });
      if (enqueued > 0) wakeAfterCommit();
      return enqueued;
    },
    verify(streamId, audience, state) {
      const jti = newJti();
      const event = verification({ streamId, state, occurredAt: Math.floor(now() / 1000) });
      outbox.enqueue({
        destination: streamId,
        jti,
        claims: unsignedClaims(event, { issuer, audience, jti, txn: jti }),
        createdAt: now(),
      });
      wakeAfterCommit();
    },
    idle: () => loop.idle(),
    stop: () => loop.stop(),
  };
}

function auditDelivery(audit: AuditLog, report: DeliveryReport): void {
  const { entry, outcome, detail } = report;
  audit.record({
    type: 'ssf.delivery',
    outcome: outcome === 'delivered' ? 'success' : outcome === 'retry' ? 'info' : 'failure',
    reason: outcome,
    jti: entry.jti,
    details: {
      stream_id: entry.destination,
      event_types: Object.keys(entry.claims.events),
      attempts: entry.attempts,
      detail,
    },
  });
}
