/**
 * The DPoP replay store (RFC 9449 §11.1) on SQLite or PostgreSQL, durable like the consumed ID-JAG `jti`s: one atomic
 * `INSERT … ON CONFLICT DO NOTHING` judged by its row count decides, so of two requests with the same proof, in this
 * process, another on the same SQLite file, or another instance on the same PostgreSQL database, one wins; entries
 * are purged once their proof would be refused by its `iat` anyway.
 */
import type { Migration, SqlDatabase } from '@ema/storage';
import type { DpopReplayStore } from '../replay-store.js';

/** The table of seen proofs (migration id 1301: the shared kits' ids start at 1000). */
export const dpopReplayMigrations: readonly Migration[] = [
  {
    id: 1301,
    name: 'dpop-proof-jtis',
    sql: `
      -- RFC 9449 §11.1: a proof is accepted once; the primary key makes that atomic.
      CREATE TABLE dpop_proof_jtis (
        jkt TEXT NOT NULL,
        jti TEXT NOT NULL,
        exp INTEGER NOT NULL,
        seen_at INTEGER NOT NULL,
        PRIMARY KEY (jkt, jti)
      ) WITHOUT ROWID;
      CREATE INDEX dpop_proof_jtis_exp ON dpop_proof_jtis (exp);
    `,
  },
];

/** The replay store, with its purge. */
export interface SqliteDpopReplayStore extends DpopReplayStore {
  consume(proof: Parameters<DpopReplayStore['consume']>[0], nowMs: number): boolean;
  /** Deletes the entries whose window closed strictly before `expBefore` (seconds). Returns how many. */
  purgeExpiredBefore(expBefore: number): number;
}

// The purge piggybacks on consumption (no timer), at most this often.
const PURGE_INTERVAL_MS = 60_000;

/**
 * Builds the store over a database migrated with {@link dpopReplayMigrations}: a better-sqlite3 connection or a
 * `PostgresDatabase` of `@ema/storage/postgres` (the same queries serve both). Entries whose window closed are
 * purged on the way, at most once a minute (by each instance; purging twice deletes nothing twice).
 */
export function createSqliteDpopReplayStore(db: SqlDatabase): SqliteDpopReplayStore {
  let lastPurgeMs = 0;
  const insert = db.prepare<[string, string, number, number]>(
    'INSERT INTO dpop_proof_jtis (jkt, jti, exp, seen_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING',
  );
  const purge = db.prepare<[number]>('DELETE FROM dpop_proof_jtis WHERE exp < ?');
  return {
    consume(proof, nowMs) {
      if (nowMs - lastPurgeMs >= PURGE_INTERVAL_MS) {
        lastPurgeMs = nowMs;
        purge.run(Math.floor(nowMs / 1000));
      }
      // Whole numbers: `exp` derives from an `iat` that may carry a fraction (RFC 7519 §2 NumericDate), which
      // PostgreSQL's BIGINT refuses; rounding up keeps the entry for at least the whole window.
      return insert.run(proof.jkt, proof.jti, Math.ceil(proof.exp), Math.floor(nowMs)).changes === 1;
    },
    purgeExpiredBefore: (expBefore) => Number(purge.run(Math.ceil(expBefore)).changes),
  };
}
