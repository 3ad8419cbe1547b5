import type { ConsumedJtiStore } from '@ema/oauth-server';
import type { SqlDatabase } from '@ema/storage';

/**
 * Single-use bookkeeping of ID-JAG `jti`s (RFC 7523 §3, EMA replay protection): the `ConsumedJtiStore` seam of the
 * jwt-bearer grant, plus the purge and a lookup. `consume` returns `false` when (iss, jti) was already consumed: the
 * primary key decides, so of any number of concurrent redemptions, in this process or another instance on the same
 * database, one wins.
 */
export interface ConsumedJtiStorage extends ConsumedJtiStore {
  /** Deletes entries whose ID-JAG expired strictly before `expBefore` (seconds). Returns how many. */
  purgeExpiredBefore(expBefore: number): number;
  isConsumed(iss: string, jti: string): boolean;
}

/**
 * Consumed `jti`s on SQLite or PostgreSQL: one `INSERT … ON CONFLICT DO NOTHING` judged by `changes === 1`, never a
 * read then a write, so instances sharing one PostgreSQL database agree on the one redemption that wins.
 */
export function createSqliteConsumedJtiStorage(db: SqlDatabase): ConsumedJtiStorage {
  const insert = db.prepare(
    'INSERT INTO consumed_jtis (iss, jti, exp, client_id, consumed_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING',
  );
  const purge = db.prepare('DELETE FROM consumed_jtis WHERE exp < ?');
  const find = db.prepare<[string, string], { one: number }>(
    'SELECT 1 AS one FROM consumed_jtis WHERE iss = ? AND jti = ?',
  );
  return {
    consume: (entry, nowMs) => insert.run(entry.iss, entry.jti, entry.exp, entry.clientId, nowMs).changes === 1,
    purgeExpiredBefore: (expBefore) => Number(purge.run(expBefore).changes),
    isConsumed: (iss, jti) => find.get(iss, jti) !== undefined,
  };
}
