/** In-memory seams for tests: the received `jti`s, a commit that runs the work at once, and an outbox. */
import type { UnsignedSecurityEventToken } from '../../src/events/security-event.js';
import type { EventCommit, ReceivedSecurityEvents } from '../../src/receiver/received-events.js';
import type { OutboxEntry, OutboxOutcome, SecurityEventOutbox } from '../../src/transmitter/outbox.js';

/** Received `jti`s in a set. */
export function memoryReceivedEvents(): ReceivedSecurityEvents & { size(): number } {
  const seen = new Set<string>();
  return {
    record: ({ iss, jti }) => {
      const key = `${iss} ${jti}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    },
    size: () => seen.size,
  };
}

/** A commit that runs the work at once (one process, tests only). */
export const immediateCommit: EventCommit = { submit: async (work) => work() };

/** An outbox in an array, with each entry's final outcome kept for assertions. */
export function memoryOutbox(): SecurityEventOutbox & {
  entries: (OutboxEntry & { outcome?: OutboxOutcome; error?: string })[];
} {
  let id = 0;
  const entries: (OutboxEntry & { outcome?: OutboxOutcome; error?: string })[] = [];
  return {
    entries,
    enqueue: (entry: { destination: string; jti: string; claims: UnsignedSecurityEventToken; createdAt: number }) => {
      id += 1;
      entries.push({ ...entry, id, attempts: 0, nextAttemptAt: entry.createdAt });
    },
    pending: (limit) =>
      entries
        .filter((entry) => entry.outcome === undefined)
        .slice(0, limit)
        .map((e) => ({ ...e })),
    claim: (entryId, leaseUntil, seen) => {
      const entry = entries.find((candidate) => candidate.id === entryId);
      if (entry === undefined || entry.outcome !== undefined || entry.nextAttemptAt !== seen) return false;
      entry.nextAttemptAt = leaseUntil;
      return true;
    },
    retryLater: (entryId, attempts, nextAttemptAt, error) => {
      const entry = entries.find((candidate) => candidate.id === entryId);
      if (entry) Object.assign(entry, { attempts, nextAttemptAt, error });
    },
    finish: (entryId, outcome, _at, error) => {
      const entry = entries.find((candidate) => candidate.id === entryId);
      if (entry) Object.assign(entry, { outcome, ...(error === undefined ? {} : { error }) });
    },
  };
}
