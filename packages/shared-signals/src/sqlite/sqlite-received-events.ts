import type { Migration, SqlDatabase } from '@ema/storage';
import type { ReceivedSecurityEvents } from '../receiver/received-events.js';

/** The `ssf_received_events` table: `(iss, jti)` is the primary key, so recording a replay changes nothing. */
export const receivedEventsMigration: Migration = {
  id: 1202,
  name: 'shared-signals: ssf_received_events',
  sql: `CREATE TABLE ssf_received_events (
    iss TEXT NOT NULL,
    jti TEXT NOT NULL,
    received_at INTEGER NOT NULL,
    keep_until INTEGER NOT NULL,
    PRIMARY KEY (iss, jti)
  ) WITHOUT ROWID;
  CREATE INDEX ssf_received_events_keep ON ssf_received_events (keep_until)`,
};

/** The received `jti`s on SQLite or PostgreSQL, and their purge. */
export interface SqliteReceivedEvents extends ReceivedSecurityEvents {
  /** Deletes entries whose `keep_until` passed (epoch ms); returns how many. */
  purge(now: number): number;
}

/**
 * The store of received SETs (apply {@link receivedEventsMigration} first), on either store: a better-sqlite3
 * connection or a `PostgresDatabase`. `record` is one `INSERT … ON CONFLICT DO NOTHING` judged by its row count, so
 * of two instances receiving the same SET only one records it.
 */
export function createSqliteReceivedEvents(db: SqlDatabase): SqliteReceivedEvents {
  const insert = db.prepare<[string, string, number, number]>(
    'INSERT INTO ssf_received_events (iss, jti, received_at, keep_until) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING',
  );
  const purge = db.prepare<[number]>('DELETE FROM ssf_received_events WHERE keep_until < ?');
  return {
    // Whole milliseconds (`keepUntil` derives from an `iat` that may carry a fraction; PostgreSQL's BIGINT refuses it).
    record: (event) =>
      insert.run(event.iss, event.jti, Math.floor(event.receivedAt), Math.ceil(event.keepUntil)).changes === 1,
    purge: (now) => Number(purge.run(Math.ceil(now)).changes),
  };
}
