/**
 * What this RAS tells the MCP servers it issues tokens for: the revocation it just applied, as its own Security
 * Events (signed with its keys, `iss` = this RAS, `aud` = the resource), about the local account (`iss_sub` with
 * this RAS as issuer and the account id as `sub`: the `sub` of the access tokens). One SET per resource receiver,
 * enqueued in the transaction that applied the revocation.
 */
import { randomUUID } from 'node:crypto';
import type { SecurityEvent, SecurityEventOutbox } from '@ema/shared-signals';
import { unsignedClaims } from '@ema/shared-signals';
import type { ResourceReceiverStorage } from './resource-receivers.js';

/** What forwarding needs. */
export interface Forwarding {
  issuer: string;
  outbox: Pick<SecurityEventOutbox, 'enqueue'>;
  receivers: ResourceReceiverStorage;
  /** Epoch milliseconds. */
  now: () => number;
}

/**
 * Enqueues `event` for the receiver of each resource in `resources` (every resource with a receiver when
 * `undefined`). Call inside a transaction. Returns the resources it was enqueued for.
 */
export function forwardEvent(
  forwarding: Forwarding,
  event: SecurityEvent,
  resources: readonly string[] | undefined,
  txn: string = randomUUID(),
): string[] {
  const targets = forwarding.receivers
    .list()
    .filter((receiver) => resources === undefined || resources.includes(receiver.resource));
  for (const receiver of targets) {
    const jti = randomUUID();
    forwarding.outbox.enqueue({
      destination: receiver.resource,
      jti,
      claims: unsignedClaims(event, { issuer: forwarding.issuer, audience: receiver.resource, jti, txn }),
      createdAt: forwarding.now(),
    });
  }
  return targets.map((receiver) => receiver.resource);
}
