import type { CommitWatch, SqlDatabase } from '@ema/storage';

/** Another instance's key rotation reaches this one at most this long after its commit (bursts coalesce). */
export const KEY_REFRESH_DELAY_MS = 200;

/** How often a held key lock is tried again (milliseconds). */
const KEY_LOCK_RETRY_MS = 25;

/** How instances sharing one PostgreSQL database agree on their signing keys. */
export interface PostgresKeyCoordination {
  /**
   * Runs `work` (making the first key, a rotation) alone among the instances: a session advisory lock, tried and
   * retried rather than waited for, since a wait would block this thread (the connection is synchronous) and with it
   * the holder when both are in one process.
   */
  withKeyLock<T>(work: () => Promise<T>): Promise<T>;
  /**
   * Calls `onChange` soon after a commit to a watched table (a notice names no table), coalesced: the place to call
   * `KeyStore.refresh`, so that another instance's rotation is adopted here.
   */
  followKeyChanges(onChange: () => void): void;
  /** Cancels a pending re-read (before the connection closes). */
  stop(): void;
}

/**
 * The key coordination of one role: `lockName` names its advisory lock (e.g. `ema.idp.signing_keys`), `commits`
 * watches at least `signing_keys`.
 */
export function postgresKeyCoordination(
  db: SqlDatabase,
  commits: CommitWatch,
  lockName: string,
): PostgresKeyCoordination {
  const lock = db.prepare<[string], { locked: boolean }>('SELECT pg_try_advisory_lock(hashtext(?)) AS locked');
  const unlock = db.prepare<[string]>('SELECT pg_advisory_unlock(hashtext(?))');
  let scheduled: NodeJS.Timeout | undefined;
  return {
    async withKeyLock(work) {
      while (lock.get(lockName)?.locked !== true)
        await new Promise((resolve) => setTimeout(resolve, KEY_LOCK_RETRY_MS));
      try {
        return await work();
      } finally {
        unlock.run(lockName);
      }
    },
    followKeyChanges(onChange) {
      commits(() => {
        scheduled ??= setTimeout(() => {
          scheduled = undefined;
          onChange();
        }, KEY_REFRESH_DELAY_MS).unref();
      });
    },
    stop() {
      clearTimeout(scheduled);
    },
  };
}
