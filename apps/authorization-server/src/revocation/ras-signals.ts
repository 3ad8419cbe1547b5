/**
 * The RAS in the revocation chain: a Receiver of its IdPs' Security Events (push, RFC 8935) and a Transmitter to the
 * MCP servers it issues tokens for. Built once by `buildApp`, over the RAS database.
 */
import {
  ASYMMETRIC_JWS_ALGORITHMS,
  createTrustedIssuerLookup,
  type KeyStore,
  type TrustedIdpRegistry,
} from '@ema/oauth-server';
import type { AccessTokenClaims } from '@ema/protocol';
import {
  createDeliveryLoop,
  createPushReceiver,
  type DeliveryLoop,
  type DeliveryReport,
  type PushReceiver,
  signAtDelivery,
  tokenRevoked,
} from '@ema/shared-signals';
import {
  createSqliteOutbox,
  createSqliteReceivedEvents,
  type SqliteOutbox,
  type SqliteReceivedEvents,
} from '@ema/shared-signals/sqlite';
import type { AuditLog, SqlDatabase } from '@ema/storage';
import { applyReceivedEvent } from './apply-received-event.js';
import { type CutOffStorage, createSqliteCutOffStorage } from './cutoff-storage.js';
import { type Forwarding, forwardEvent } from './forward-events.js';
import { createSqliteResourceReceiverStorage, type ResourceReceiverStorage } from './resource-receivers.js';
import { createSqliteSsfSubscriptionStorage, type SsfSubscriptionStorage } from './ssf-subscriptions.js';

/** The RAS's revocation state and machinery. */
export interface RasSignals {
  readonly cutOffs: CutOffStorage;
  readonly receivers: ResourceReceiverStorage;
  readonly subscriptions: SsfSubscriptionStorage;
  readonly outbox: SqliteOutbox;
  readonly receivedEvents: SqliteReceivedEvents;
  /** Enqueues forwards (inside a transaction); wake delivery with {@link RasSignals.wake} after it commits. */
  readonly forwarding: Forwarding;
  /** The push receiver of `/ssf/events`. */
  readonly receive: PushReceiver;
  /** Whether a cut-off revokes an access token this RAS issued (its `sub` is the local account). */
  isAccessTokenRevoked(claims: AccessTokenClaims): boolean;
  /** Forwards the RFC 7009 revocation of one access token to the receiver of its resource (inside a transaction). */
  forwardTokenRevocation(claims: AccessTokenClaims): void;
  /** Delivers what was enqueued (call after the enqueuing transaction committed). */
  wake(): void;
  idle(): Promise<void>;
  stop(): Promise<void>;
}

/** What the RAS signals are built from. */
export interface RasSignalsOptions {
  db: SqlDatabase;
  issuer: string;
  registry: TrustedIdpRegistry;
  keyStore: KeyStore;
  audit: AuditLog;
  maxEventAgeSeconds: number;
  clockToleranceSeconds: number;
  retryMaxDelayMs: number;
  maxDeliveryAgeSeconds: number;
  fetch?: typeof fetch;
  now: () => number;
  onError: (error: unknown) => void;
}

/** Builds the receiver and the transmitter, and starts delivery (which picks up the outbox as it is). */
export function createRasSignals(options: RasSignalsOptions): RasSignals {
  const { db, issuer, audit, now } = options;
  const cutOffs = createSqliteCutOffStorage(db);
  const receivers = createSqliteResourceReceiverStorage(db);
  const subscriptions = createSqliteSsfSubscriptionStorage(db);
  const outbox = createSqliteOutbox(db);
  const receivedEvents = createSqliteReceivedEvents(db);
  const forwarding: Forwarding = { issuer, outbox, receivers, now };
  // Security events name the user by (iss, sub) only: for a multi-tenant issuer the cut-off covers the sub in every
  // tenant (over-revoking rather than missing one); the forwarded event names the tenant-less account first.
  const account = db.prepare<[string, string], { account_id: string }>(
    'SELECT account_id FROM subjects WHERE iss = ? AND sub = ? ORDER BY tenant LIMIT 1',
  );
  const identity = db.prepare<[string], { iss: string; sub: string }>(
    'SELECT iss, sub FROM subjects WHERE account_id = ?',
  );
  // One transaction per receipt (not the redemptions' group commit): a failed receipt rolls back alone.
  const receipt = db.transaction((work: () => void) => work());
  const inReceipt = async <T>(work: () => T): Promise<T> => {
    let result: { value: T } | undefined;
    receipt.immediate(() => {
      result = { value: work() };
    });
    if (result === undefined) throw new Error('the receipt transaction did not run');
    return result.value;
  };

  const loop: DeliveryLoop = createDeliveryLoop({
    outbox,
    destinations: (resource) => {
      const receiver = receivers.find(resource);
      return receiver === undefined ? undefined : { endpointUrl: receiver.endpointUrl };
    },
    sign: signAtDelivery(() => options.keyStore.signer(), now),
    retry: { maxDelayMs: options.retryMaxDelayMs, maxAgeMs: options.maxDeliveryAgeSeconds * 1000 },
    ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
    now,
    onReport: (report) => auditDelivery(audit, report),
    onError: options.onError,
  });

  const receive = createPushReceiver({
    audience: issuer,
    algorithms: ASYMMETRIC_JWS_ALGORITHMS,
    // The trusted-IdP registry of the jwt-bearer grant: the same issuers, keys (JWKS, cached) and algorithms.
    trustedTransmitters: createTrustedIssuerLookup(options.registry, {
      ownIssuer: issuer,
      now,
      ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
    }),
    authenticateTransmitter: (authorization) => subscriptions.authenticate(authorization),
    maxAgeSeconds: options.maxEventAgeSeconds,
    clockToleranceSeconds: options.clockToleranceSeconds,
    receivedEvents,
    commit: { submit: inReceipt },
    apply: (accepted) =>
      applyReceivedEvent(
        { cutOffs, subscriptions, forwarding, audit, accountOf: (iss, sub) => account.get(iss, sub)?.account_id },
        accepted,
      ),
    now,
  });

  return {
    cutOffs,
    receivers,
    subscriptions,
    outbox,
    receivedEvents,
    forwarding,
    receive: async (request) => {
      const answer = await receive(request);
      if (answer.status === 202) loop.wake();
      return answer;
    },
    isAccessTokenRevoked: (claims) => {
      const user = identity.get(claims.sub);
      if (user === undefined) return false;
      const resource = Array.isArray(claims.aud) ? (claims.aud[0] ?? '') : claims.aud;
      return cutOffs.isAccessTokenRevoked({ ...user, resource, sid: claims.sid, issuedAt: claims.iat });
    },
    forwardTokenRevocation: (claims) => {
      const resource = Array.isArray(claims.aud) ? (claims.aud[0] ?? '') : claims.aud;
      const occurredAt = Math.floor(now() / 1000);
      forwardEvent(forwarding, tokenRevoked({ issuer, jti: claims.jti, expiresAt: claims.exp, occurredAt }), [
        resource,
      ]);
    },
    wake: () => loop.wake(),
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
    resource: entry.destination,
    jti: entry.jti,
    details: { event_types: Object.keys(entry.claims.events), attempts: entry.attempts, detail },
  });
}
