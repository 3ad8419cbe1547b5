/**
 * The revocation cut-offs this RAS keeps (table `revocation_cutoffs`, SQLite or PostgreSQL), from the Security Events its IdPs
 * send: which ID-JAGs it must refuse from now on, and which of the access tokens it issued are revoked.
 */
import type { CutOffQuery, RevocationCutOffs } from '@ema/oauth-server';
import type { SqlDatabase } from '@ema/storage';

/** Every ID-JAG of an ended session is refused, whatever its times. */
const ALWAYS = Number.MAX_SAFE_INTEGER;
/** No ID-JAG is refused by its sign-in time (a grant lost by policy: new ID-JAGs already carry the new policy). */
const NEVER = -1;

/** The scope of a cut-off: every grant of the user, one resource, or one IdP session. */
export type CutOffScope = { kind: 'user' } | { kind: 'resource'; resource: string } | { kind: 'session'; sid: string };

/** A cut-off to record. */
export interface CutOff {
  iss: string;
  sub: string;
  scope: CutOffScope;
  /** When the event happened at the IdP (seconds, the IdP's clock). */
  eventAt: number;
  /** When this RAS applied it (seconds, its own clock): access tokens it issued up to then are revoked. */
  appliedAt: number;
  reason: string;
}

/** What an access token of this RAS is checked against (its claims, and its `sub`'s IdP identity). */
export interface AccessTokenQuery {
  iss: string;
  sub: string;
  resource: string;
  sid: string | undefined;
  /** The access token's `iat` (seconds, this RAS's clock). */
  issuedAt: number;
}

/** The cut-offs, their two checks, and their purge. */
export interface CutOffStorage extends RevocationCutOffs {
  /** Records a cut-off; a later one for the same (user, scope) moves it forward, never back. */
  record(cutOff: CutOff): void;
  /** Whether an access token this RAS issued is revoked by a cut-off (introspection). */
  isAccessTokenRevoked(query: AccessTokenQuery): boolean;
  /** Deletes cut-offs applied before `before` (seconds): past the longest ID-JAG and access-token lifetime. */
  purgeAppliedBefore(before: number): number;
  /** Every cut-off, for the admin view. */
  list(limit: number): (Omit<CutOff, 'scope' | 'eventAt'> & { scope: string; updatedAt: number })[];
}

function scopeKey(scope: CutOffScope): string {
  switch (scope.kind) {
    case 'user':
      return '*';
    case 'resource':
      return `resource:${scope.resource}`;
    case 'session':
      return `sid:${scope.sid}`;
  }
}

// Keys that match no row: a query without a session still binds three parameters.
const NO_SESSION = 'sid:';

/**
 * The cut-offs on either store (apply `rasRevocationMigrations` first). Statements are prepared once; the upsert moves
 * each cut-off forward with a CASE (SQLite's two-argument `max` is PostgreSQL's `GREATEST`: neither reads both).
 */
export function createSqliteCutOffStorage(db: SqlDatabase): CutOffStorage {
  const upsert = db.prepare(
    `INSERT INTO revocation_cutoffs (iss, sub, scope, idjag_iat_cutoff, idjag_auth_cutoff, access_cutoff, reason,
       updated_at)
     VALUES (@iss, @sub, @scope, @iat, @auth, @access, @reason, @updatedAt)
     ON CONFLICT (iss, sub, scope) DO UPDATE SET
       idjag_iat_cutoff = CASE WHEN excluded.idjag_iat_cutoff > revocation_cutoffs.idjag_iat_cutoff THEN excluded.idjag_iat_cutoff
         ELSE revocation_cutoffs.idjag_iat_cutoff END,
       idjag_auth_cutoff = CASE WHEN excluded.idjag_auth_cutoff > revocation_cutoffs.idjag_auth_cutoff THEN excluded.idjag_auth_cutoff
         ELSE revocation_cutoffs.idjag_auth_cutoff END,
       access_cutoff = CASE WHEN excluded.access_cutoff > revocation_cutoffs.access_cutoff THEN excluded.access_cutoff
         ELSE revocation_cutoffs.access_cutoff END,
       reason = excluded.reason, updated_at = excluded.updated_at`,
  );
  // The redemption's one lookup: three point reads of the primary key in one statement.
  const idJag = db.prepare<[string, string, string, string, number, number], { one: number }>(
    `SELECT 1 AS one FROM revocation_cutoffs WHERE iss = ? AND sub = ? AND scope IN ('*', ?, ?)
       AND (idjag_iat_cutoff >= ? OR idjag_auth_cutoff >= ?) LIMIT 1`,
  );
  const accessToken = db.prepare<[string, string, string, string, number], { one: number }>(
    `SELECT 1 AS one FROM revocation_cutoffs WHERE iss = ? AND sub = ? AND scope IN ('*', ?, ?)
       AND access_cutoff >= ? LIMIT 1`,
  );
  const purge = db.prepare<[number]>('DELETE FROM revocation_cutoffs WHERE updated_at < ?');
  const list = db.prepare<
    [number],
    { iss: string; sub: string; scope: string; access_cutoff: number; reason: string; updated_at: number }
  >('SELECT * FROM revocation_cutoffs ORDER BY updated_at DESC LIMIT ?');
  return {
    record: (cutOff) => {
      const { scope } = cutOff;
      upsert.run({
        iss: cutOff.iss,
        sub: cutOff.sub,
        scope: scopeKey(scope),
        // A user or a session: nothing issued up to the event. One resource: only the grant as it was (by iat).
        iat: scope.kind === 'session' ? ALWAYS : cutOff.eventAt,
        auth: scope.kind === 'user' ? cutOff.eventAt : scope.kind === 'session' ? ALWAYS : NEVER,
        access: cutOff.appliedAt,
        reason: cutOff.reason,
        updatedAt: cutOff.appliedAt,
      });
    },
    isCutOff: (query: CutOffQuery) =>
      idJag.get(
        query.iss,
        query.sub,
        `resource:${query.resource}`,
        query.sid === undefined ? NO_SESSION : `sid:${query.sid}`,
        query.issuedAt,
        query.authTime,
      ) !== undefined,
    isAccessTokenRevoked: (query) =>
      accessToken.get(
        query.iss,
        query.sub,
        `resource:${query.resource}`,
        query.sid === undefined ? NO_SESSION : `sid:${query.sid}`,
        query.issuedAt,
      ) !== undefined,
    purgeAppliedBefore: (before) => Number(purge.run(before).changes),
    list: (limit) =>
      list.all(limit).map((row) => ({
        iss: row.iss,
        sub: row.sub,
        scope: row.scope,
        appliedAt: row.access_cutoff,
        reason: row.reason,
        updatedAt: row.updated_at,
      })),
  };
}
