/**
 * Puts one event in the outbox for every stream that should carry it: enabled, delivering that event type, and (for
 * an event about one resource) whose Receiver is the authorization server of that resource. One SET per stream, each
 * with its own `jti` and the stream's `aud` (SSF 1.0 §4.1 "aud": distinct SETs for distinct Receivers), all with the
 * change's `txn`. Call it inside the transaction that makes the change.
 */
import { type SecurityEvent, unsignedClaims } from '../events/security-event.js';
import type { SecurityEventOutbox } from '../transmitter/outbox.js';
import type { SsfStream } from './stream.js';

/** What {@link fanOut} needs. */
export interface FanOutOptions {
  issuer: string;
  outbox: Pick<SecurityEventOutbox, 'enqueue'>;
  streams: readonly SsfStream[];
  /** Shared by every SET of one change (SSF 1.0 §4.1 "txn"). */
  txn: string;
  newJti: () => string;
  /** Epoch milliseconds. */
  now: number;
  /** When set, only streams whose audience is this (the RAS that serves the resource the event is about). */
  audience?: string;
}

/** Enqueues `event` on every stream that carries it; returns how many SETs were enqueued. */
export function fanOut(event: SecurityEvent, options: FanOutOptions): number {
  let enqueued = 0;
  for (const stream of options.streams) {
    if (stream.status !== 'enabled' || !stream.eventsDelivered.includes(event.eventType)) continue;
    if (options.audience !== undefined && stream.audience !== options.audience) continue;
    const jti = options.newJti();
    options.outbox.enqueue({
      destination: stream.streamId,
      jti,
      claims: unsignedClaims(event, { issuer: options.issuer, audience: stream.audience, jti, txn: options.txn }),
      createdAt: options.now,
    });
    enqueued += 1;
  }
  return enqueued;
}
