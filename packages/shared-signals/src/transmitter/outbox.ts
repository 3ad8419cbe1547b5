/**
 * The transmitter's storage seams: a durable outbox of SETs to deliver (written in the same transaction as the change
 * that causes them, so an event can be neither lost nor sent for a change that was rolled back) and the destinations
 * they go to (an SSF stream's push endpoint, a resource server's receiver).
 */
import type { UnsignedSecurityEventToken } from '../events/security-event.js';

/** A SET waiting in the outbox. */
export interface OutboxEntry {
  /** Increasing: entries for one destination are delivered in this order. */
  id: number;
  /** The destination (a stream id): looked up at each attempt, so a changed endpoint applies at once. */
  destination: string;
  jti: string;
  /** The claims to sign at each attempt (with a fresh `iat`). */
  claims: UnsignedSecurityEventToken;
  /** Epoch milliseconds. */
  createdAt: number;
  /** Failed attempts so far. */
  attempts: number;
  /** Not before (epoch milliseconds). */
  nextAttemptAt: number;
}

/** How an entry left the outbox. */
export type OutboxOutcome = 'delivered' | 'rejected' | 'expired' | 'dropped';

/**
 * The outbox. `enqueue` runs inside the caller's transaction; the rest are single writes. Several transmitters (the
 * instances of one role) may share one outbox: `claim` is what lets exactly one of them push a given entry.
 */
export interface SecurityEventOutbox {
  /** Adds a SET to deliver now (`nextAttemptAt` = `createdAt`). */
  enqueue(entry: { destination: string; jti: string; claims: UnsignedSecurityEventToken; createdAt: number }): void;
  /** Up to `limit` entries still to deliver, oldest first. */
  pending(limit: number): OutboxEntry[];
  /**
   * Takes the entry for one attempt: moves its `nextAttemptAt` from `seen` (the value this transmitter read) to
   * `leaseUntil`, only if the entry is still pending and nobody moved it since. One conditional write, so of two
   * transmitters that read the same entry exactly one gets `true` and pushes it; the other sees the lease as a
   * future `nextAttemptAt` and leaves the destination alone. A claimer that dies mid-push simply lets its lease
   * pass, and the entry is attempted again (SETs are idempotent by `jti` at the receiver, RFC 8935 §2).
   */
  claim(id: number, leaseUntil: number, seen: number): boolean;
  /** Another attempt later. */
  retryLater(id: number, attempts: number, nextAttemptAt: number, error: string): void;
  /** Done: acknowledged, refused for good, too old to matter, or its destination is gone. */
  finish(id: number, outcome: OutboxOutcome, at: number, error?: string): void;
}

/** Where a destination's SETs are pushed (RFC 8935 §2, SSF 1.0 §6.1.1). */
export interface PushDestination {
  endpointUrl: string;
  /** The `Authorization` header value to send, when the receiver asked for one. */
  authorization?: string | undefined;
}

/** Looks a destination up at each attempt; `undefined` when it no longer exists (its entries are dropped). */
export type PushDestinations = (destination: string) => PushDestination | undefined;
