import type { Migration, SqlDatabase } from '@ema/storage';
import type { UnsignedSecurityEventToken } from '../events/security-event.js';
import type { OutboxEntry, OutboxOutcome, SecurityEventOutbox } from '../transmitter/outbox.js';

/**
 * The `ssf_outbox` table. Pending entries are read through a partial index (only they are in it), in id order;
 * finished ones stay for the record until purged.
 */
export const outboxMigration: Migration = {
  id: 1201,
  name: 'shared-signals: ssf_outbox',
  sql: `CREATE TABLE ssf_outbox (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    destination TEXT NOT NULL,
    jti TEXT NOT NULL UNIQUE,
    claims TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    status TEXT NOT NULL DEFAULT 'pending'
      CHECK (status IN ('pending', 'delivered', 'rejected', 'expired', 'dropped')),
    last_error TEXT,
    finished_at INTEGER
  );
  CREATE INDEX ssf_outbox_pending ON ssf_outbox (id) WHERE status = 'pending';
  CREATE INDEX ssf_outbox_finished ON ssf_outbox (finished_at) WHERE status <> 'pending'`,
};

interface OutboxRow {
  id: number;
  destination: string;
  jti: string;
  claims: string;
  created_at: number;
  attempts: number;
  next_attempt_at: number;
}

/** The outbox on SQLite or PostgreSQL, plus what an operator reads and purges. */
export interface SqliteOutbox extends SecurityEventOutbox {
  /** How many entries wait, per destination (admin views, tests). */
  pendingCount(): number;
  /** The last entries, newest first, for an admin view. */
  recent(limit: number): (OutboxEntry & { status: string; lastError: string | null; finishedAt: number | null })[];
  /** Deletes finished entries older than `before` (epoch ms); returns how many. */
  purgeFinished(before: number): number;
}

const toEntry = (row: OutboxRow): OutboxEntry => ({
  id: row.id,
  destination: row.destination,
  jti: row.jti,
  claims: JSON.parse(row.claims) as UnsignedSecurityEventToken,
  createdAt: row.created_at,
  attempts: row.attempts,
  nextAttemptAt: row.next_attempt_at,
});

/**
 * The outbox (apply {@link outboxMigration} first). Statements are prepared once. The same queries serve both stores:
 * pass a better-sqlite3 connection or a `PostgresDatabase` of `@ema/storage/postgres`. On PostgreSQL several
 * transmitters may share the table: `claim` is one conditional `UPDATE` judged by its row count, so exactly one of
 * them pushes an entry.
 */
export function createSqliteOutbox(db: SqlDatabase): SqliteOutbox {
  const insert = db.prepare<[string, string, string, number, number]>(
    'INSERT INTO ssf_outbox (destination, jti, claims, created_at, next_attempt_at) VALUES (?, ?, ?, ?, ?)',
  );
  const pending = db.prepare<[number], OutboxRow>(
    "SELECT * FROM ssf_outbox WHERE status = 'pending' ORDER BY id LIMIT ?",
  );
  const claim = db.prepare<[number, number, number]>(
    "UPDATE ssf_outbox SET next_attempt_at = ? WHERE id = ? AND status = 'pending' AND next_attempt_at = ?",
  );
  const retry = db.prepare<[number, number, string, number]>(
    "UPDATE ssf_outbox SET attempts = ?, next_attempt_at = ?, last_error = ? WHERE id = ? AND status = 'pending'",
  );
  const finish = db.prepare<[OutboxOutcome, number, string | null, number]>(
    "UPDATE ssf_outbox SET status = ?, finished_at = ?, last_error = ? WHERE id = ? AND status = 'pending'",
  );
  const count = db.prepare<[], { n: number }>("SELECT count(*) AS n FROM ssf_outbox WHERE status = 'pending'");
  const recent = db.prepare<
    [number],
    OutboxRow & { status: string; last_error: string | null; finished_at: number | null }
  >('SELECT * FROM ssf_outbox ORDER BY id DESC LIMIT ?');
  const purge = db.prepare<[number]>("DELETE FROM ssf_outbox WHERE status <> 'pending' AND finished_at < ?");
  return {
    enqueue: (entry) => {
      const createdAt = Math.floor(entry.createdAt);
      insert.run(entry.destination, entry.jti, JSON.stringify(entry.claims), createdAt, createdAt);
    },
    pending: (limit) => pending.all(limit).map(toEntry),
    // Times are whole milliseconds: PostgreSQL's BIGINT refuses a fraction where SQLite would store a REAL.
    claim: (id, leaseUntil, seen) => claim.run(Math.ceil(leaseUntil), id, seen).changes === 1,
    retryLater: (id, attempts, nextAttemptAt, error) => {
      retry.run(attempts, Math.ceil(nextAttemptAt), error.slice(0, 500), id);
    },
    finish: (id, outcome, at, error) => {
      finish.run(outcome, Math.floor(at), error === undefined ? null : error.slice(0, 500), id);
    },
    pendingCount: () => Number(count.get()?.n ?? 0),
    recent: (limit) =>
      recent.all(limit).map((row) => ({
        ...toEntry(row),
        status: row.status,
        lastError: row.last_error,
        finishedAt: row.finished_at,
      })),
    purgeFinished: (before) => Number(purge.run(Math.ceil(before)).changes),
  };
}
