/**
 * When to try again after a failed push: exponential backoff from `initialDelayMs`, doubling per failure, capped at
 * `maxDelayMs`, with jitter below the cap so that many destinations coming back at once do not retry in lockstep.
 * The cap is the delivery retry bound: once a receiver is back, its SETs are delivered within `maxDelayMs` (plus one
 * request). An entry older than `maxAgeMs` is given up: by then every token it could revoke has expired.
 */

/** The retry policy of a delivery loop. */
export interface RetryPolicy {
  /** First retry after this long (ms). Default 250. */
  initialDelayMs: number;
  /** No wait between attempts is longer than this (ms): the delivery retry bound. Default 5000. */
  maxDelayMs: number;
  /** Entries older than this are given up (ms). Default 24 hours. */
  maxAgeMs: number;
}

/** The defaults documented in `docs/protocol.md` ("Revocation: delivery guarantees"). */
export const DEFAULT_RETRY_POLICY: RetryPolicy = Object.freeze({
  initialDelayMs: 250,
  maxDelayMs: 5000,
  maxAgeMs: 24 * 3600 * 1000,
});

/** The wait before attempt `failures + 1`, given `failures` failed attempts (>= 1); `random` in [0, 1). */
export function retryDelayMs(failures: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const exponential = policy.initialDelayMs * 2 ** Math.min(Math.max(failures - 1, 0), 30);
  const capped = Math.min(exponential, policy.maxDelayMs);
  // Up to a fifth shorter, never longer: the bound holds.
  return Math.round(capped * (0.8 + 0.2 * random()));
}
