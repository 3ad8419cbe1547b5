import { createHash } from 'node:crypto';
import type { Migration, SqlDatabase } from '@ema/storage';
import type { FailureWindow, SignInFailureStorage } from '../../session/sign-in-failure-windows.js';

/**
 * The sign-in throttle's failure windows (migration 105), so that every instance sharing the database counts the
 * same failures. Keyed by the SHA-256 of the throttle's key: fixed length whatever the typed username, and no byte
 * PostgreSQL's text refuses (a NUL).
 */
export const signInFailuresMigration: Migration = {
  id: 105,
  name: 'idp-sign-in-failures',
  sql: `
    CREATE TABLE sign_in_failures (
      throttle_key TEXT PRIMARY KEY,
      window_start INTEGER NOT NULL,
      failures INTEGER NOT NULL
    ) WITHOUT ROWID;
    CREATE INDEX sign_in_failures_start ON sign_in_failures(window_start);
  `,
};

// Expired windows are purged on the way (no timer), at most this often.
const PURGE_INTERVAL_SECONDS = 60;

/** Failure windows in the database; counting a failure is one upsert, so concurrent failures all count. */
export function createSqliteSignInFailureStorage(db: SqlDatabase): SignInFailureStorage {
  const find = db.prepare<[string, number], { window_start: number; failures: number }>(
    'SELECT window_start, failures FROM sign_in_failures WHERE throttle_key = ? AND window_start > ?',
  );
  // One statement whatever the state: a new window, one more failure in the open window, or a window that has
  // closed restarted at `now`. Two instances counting the same key at once serialise on its row and both count.
  const count = db.prepare<{ key: string; now: number; closed: number }>(
    `INSERT INTO sign_in_failures (throttle_key, window_start, failures) VALUES (@key, @now, 1)
     ON CONFLICT (throttle_key) DO UPDATE SET
       failures = CASE WHEN sign_in_failures.window_start > @closed THEN sign_in_failures.failures + 1 ELSE 1 END,
       window_start = CASE WHEN sign_in_failures.window_start > @closed
         THEN sign_in_failures.window_start ELSE excluded.window_start END`,
  );
  const forget = db.prepare<[string]>('DELETE FROM sign_in_failures WHERE throttle_key = ?');
  const purge = db.prepare<[number]>('DELETE FROM sign_in_failures WHERE window_start <= ?');
  const hashed = (key: string) => createHash('sha256').update(key).digest('base64url');
  let lastPurge = Number.NEGATIVE_INFINITY;
  return {
    signInFailureWindow: (key, now, windowSeconds): FailureWindow | undefined => {
      const row = find.get(hashed(key), now - windowSeconds);
      return row === undefined ? undefined : { start: row.window_start, failures: row.failures };
    },
    recordSignInFailure: (key, now, windowSeconds) => {
      if (now - lastPurge >= PURGE_INTERVAL_SECONDS) {
        lastPurge = now;
        purge.run(now - windowSeconds);
      }
      count.run({ key: hashed(key), now, closed: now - windowSeconds });
    },
    forgetSignInFailures: (key) => {
      forget.run(hashed(key));
    },
  };
}
