/**
 * The transmitter's delivery loop: takes SETs from the durable outbox and pushes them until each is acknowledged,
 * refused for good, or too old to matter. Per destination, entries go one at a time in outbox order, and a failed
 * one holds back the ones after it until its retry (a receiver that is down gets one request per backoff step, not
 * one per waiting SET). Destinations are served side by side. The loop runs when woken (right after a transaction
 * that enqueued something commits) and when the earliest retry falls due; at start-up it picks up whatever the
 * outbox still holds, so nothing is lost across a restart of either side. Several transmitters may serve one shared
 * outbox (the instances of a role on one database): each entry is claimed before its attempt, so exactly one of them
 * pushes it, and a claimed entry holds back its destination on the others until its lease passes.
 */
import type { UnsignedSecurityEventToken } from '../events/security-event.js';
import type { OutboxEntry, OutboxOutcome, PushDestinations, SecurityEventOutbox } from './outbox.js';
import { type PushOutcome, pushSecurityEvent } from './push-delivery.js';
import { DEFAULT_RETRY_POLICY, type RetryPolicy, retryDelayMs } from './retry-policy.js';

/** What happened to one attempt, for the transmitter's log and audit trail. */
export interface DeliveryReport {
  entry: OutboxEntry;
  /** `retry` when another attempt is scheduled; otherwise how the entry left the outbox. */
  outcome: OutboxOutcome | 'retry';
  detail: string;
}

/** Configuration of {@link createDeliveryLoop}. */
export interface DeliveryLoopOptions {
  outbox: SecurityEventOutbox;
  destinations: PushDestinations;
  /** Signs the claims with a fresh `iat` at each attempt (`signAtDelivery`). */
  sign: (claims: UnsignedSecurityEventToken) => Promise<string>;
  retry?: Partial<RetryPolicy>;
  /** Time-out of one push, headers and body (default 5000 ms). */
  timeoutMs?: number;
  /**
   * How long a claim holds an entry against other transmitters sharing the outbox (default twice `timeoutMs`: an
   * attempt, signing included, ends well within it). A transmitter that dies mid-attempt frees it when it passes.
   */
  claimLeaseMs?: number;
  fetch?: typeof fetch;
  /** Epoch milliseconds. */
  now?: () => number;
  onReport?: (report: DeliveryReport) => void;
  /** Told about a failure of the loop itself (storage, signing); the loop carries on at its next wake-up. */
  onError?: (error: unknown) => void;
}

/** A running delivery loop. */
export interface DeliveryLoop {
  /** Runs now (call after committing a transaction that enqueued SETs). */
  wake(): void;
  /** Resolves once nothing is pending or every pending entry waits for a retry (tests, shutdown). */
  idle(): Promise<void>;
  /** Stops: no new attempt starts, attempts in flight are aborted, nothing is marked after. */
  stop(): Promise<void>;
}

const BATCH = 500;

/** Starts the loop (its first run picks up the outbox as it is). */
export function createDeliveryLoop(options: DeliveryLoopOptions): DeliveryLoop {
  const policy: RetryPolicy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
  const now = options.now ?? Date.now;
  const fetchImpl = options.fetch ?? globalThis.fetch;
  const timeoutMs = options.timeoutMs ?? 5000;
  const claimLeaseMs = options.claimLeaseMs ?? 2 * timeoutMs;
  const abort = new AbortController();
  let running: Promise<void> | undefined;
  let again = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;

  const report = (entry: OutboxEntry, outcome: DeliveryReport['outcome'], detail: string): void => {
    options.onReport?.({ entry, outcome, detail });
  };

  const finish = (entry: OutboxEntry, outcome: OutboxOutcome, detail: string): void => {
    options.outbox.finish(entry.id, outcome, now(), detail);
    report(entry, outcome, detail);
  };

  // One attempt; returns whether the destination may go on with its next entry.
  const attempt = async (entry: OutboxEntry): Promise<boolean> => {
    // Another transmitter on the same outbox took it (or finished it) since it was read: that one serves the
    // destination now, in order; this one leaves it until its next run.
    if (!options.outbox.claim(entry.id, now() + claimLeaseMs, entry.nextAttemptAt)) return false;
    const destination = options.destinations(entry.destination);
    if (destination === undefined) {
      finish(entry, 'dropped', 'the destination no longer exists');
      return true;
    }
    if (now() - entry.createdAt > policy.maxAgeMs) {
      finish(entry, 'expired', `not acknowledged within ${policy.maxAgeMs} ms`);
      return true;
    }
    let outcome: PushOutcome;
    try {
      const set = await options.sign(entry.claims);
      outcome = await pushSecurityEvent(destination, set, { fetch: fetchImpl, timeoutMs, signal: abort.signal });
    } catch (error) {
      options.onError?.(error);
      outcome = { kind: 'retry', reason: 'signing failed' };
    }
    if (stopped) return false;
    if (outcome.kind === 'delivered') {
      finish(entry, 'delivered', `HTTP ${outcome.status}`);
      return true;
    }
    if (outcome.kind === 'rejected') {
      // RFC 8935 §2.3: the receiver refused this SET; sending it again would be refused again.
      finish(entry, 'rejected', `${outcome.err}: ${outcome.description}`);
      return true;
    }
    const failures = entry.attempts + 1;
    const nextAttemptAt = now() + retryDelayMs(failures, policy);
    options.outbox.retryLater(entry.id, failures, nextAttemptAt, outcome.reason);
    report({ ...entry, attempts: failures, nextAttemptAt }, 'retry', outcome.reason);
    return false;
  };

  const serveDestination = async (entries: readonly OutboxEntry[]): Promise<void> => {
    for (const entry of entries) {
      if (stopped || entry.nextAttemptAt > now()) return;
      if (!(await attempt(entry))) return;
    }
  };

  const runOnce = async (): Promise<boolean> => {
    const pending = options.outbox.pending(BATCH);
    const byDestination = new Map<string, OutboxEntry[]>();
    for (const entry of pending) {
      const list = byDestination.get(entry.destination) ?? [];
      list.push(entry);
      byDestination.set(entry.destination, list);
    }
    await Promise.all([...byDestination.values()].map(serveDestination));
    return pending.length === BATCH;
  };

  const schedule = (): void => {
    if (stopped) return;
    clearTimeout(timer);
    const heads = new Map<string, number>();
    for (const entry of options.outbox.pending(BATCH)) {
      if (!heads.has(entry.destination)) heads.set(entry.destination, entry.nextAttemptAt);
    }
    if (heads.size === 0) return;
    const wait = Math.max(0, Math.min(...heads.values()) - now());
    timer = setTimeout(wake, wait);
    timer.unref();
  };

  const loop = async (): Promise<void> => {
    while (again && !stopped) {
      again = false;
      try {
        // A full batch may hide more: go round again.
        if (await runOnce()) again = true;
      } catch (error) {
        options.onError?.(error);
      }
    }
    try {
      schedule();
    } catch (error) {
      options.onError?.(error);
    }
  };

  function wake(): void {
    if (stopped) return;
    // Set first: a wake-up that arrives while a run is finishing is picked up by the `finally` below.
    again = true;
    if (running !== undefined) return;
    running = loop().finally(() => {
      running = undefined;
      if (again && !stopped) wake();
    });
  }

  wake();
  return {
    wake,
    async idle() {
      while (running !== undefined) await running;
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      abort.abort();
      await running;
    },
  };
}
