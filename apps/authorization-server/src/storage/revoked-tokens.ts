import type { SqlDatabase } from '@ema/storage';

/** An access token revoked through RFC 7009, identified by its `jti`. */
export interface RevokedToken {
  jti: string;
  clientId: string;
  /** The token's own expiry (seconds): the record is useless, and purged, after it. */
  exp: number;
}

/** Revocation records of access tokens. */
export interface RevokedTokenStorage {
  revoke(token: RevokedToken, nowMs: number): void;
  isRevoked(jti: string): boolean;
  /** Deletes records of tokens that expired strictly before `expBefore` (seconds). */
  purgeExpiredBefore(expBefore: number): number;
}

/** Revocation records on SQLite or PostgreSQL (one set of queries). */
export function createSqliteRevokedTokenStorage(db: SqlDatabase): RevokedTokenStorage {
  const insert = db.prepare(
    'INSERT INTO revoked_tokens (jti, client_id, exp, revoked_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING',
  );
  const find = db.prepare<[string], { one: number }>('SELECT 1 AS one FROM revoked_tokens WHERE jti = ?');
  const purge = db.prepare('DELETE FROM revoked_tokens WHERE exp < ?');
  return {
    revoke: (token, nowMs) => {
      insert.run(token.jti, token.clientId, token.exp, nowMs);
    },
    isRevoked: (jti) => find.get(jti) !== undefined,
    purgeExpiredBefore: (expBefore) => Number(purge.run(expBefore).changes),
  };
}
