import type { SqlDatabase } from '@ema/storage';
import type { IdTokenStorage } from '../idp-storage.js';
import { isStorableText } from './text-keys.js';

interface IdTokenRow {
  jti: string;
  grant_id: string;
  user_id: string;
  expires_at: number;
  revoked_at: number | null;
  revoked_reason: string | null;
}

/** Issued ID token records (table `id_tokens`, SQLite or PostgreSQL); every statement prepared once. */
export function createSqliteIdTokenStorage(db: SqlDatabase): IdTokenStorage {
  // One statement, so it serialises with revokeGrant's transaction: the row is either inserted before the grant is
  // revoked (and the revocation's UPDATE reaches it) or after (and it copies the revocation). The casts type the
  // selected parameters for PostgreSQL, which cannot infer them from the target columns of an INSERT … SELECT.
  const insert = db.prepare<{ jti: string; grantId: string; expiresAt: number; at: number }>(
    `INSERT INTO id_tokens (jti, grant_id, user_id, expires_at, revoked_at, revoked_reason)
     SELECT CAST(@jti AS TEXT), g.id, g.user_id, CAST(@expiresAt AS BIGINT),
       CASE WHEN g.revoked_at IS NOT NULL THEN g.revoked_at WHEN u.disabled = 1 THEN CAST(@at AS BIGINT) END,
       CASE WHEN g.revoked_at IS NOT NULL THEN COALESCE(g.revoked_reason, 'grant revoked')
            WHEN u.disabled = 1 THEN 'user disabled' END
     FROM grants g JOIN users u ON u.id = g.user_id WHERE g.id = @grantId`,
  );
  const find = db.prepare<[string], IdTokenRow>('SELECT * FROM id_tokens WHERE jti = ?');
  const purge = db.prepare<[number]>('DELETE FROM id_tokens WHERE expires_at < ?');
  return {
    insertIdToken: (token, at) => insert.run({ ...token, at }).changes === 1,
    findIdToken: (jti) => {
      const row = isStorableText(jti) ? find.get(jti) : undefined;
      if (row === undefined) return undefined;
      return {
        jti: row.jti,
        grantId: row.grant_id,
        userId: row.user_id,
        expiresAt: row.expires_at,
        revokedAt: row.revoked_at,
        revokedReason: row.revoked_reason,
      };
    },
    purgeIdTokens: (before) => Number(purge.run(before).changes),
  };
}
