import type { SqlDatabase } from '@ema/storage';
import type { TokenStorage } from '../idp-storage.js';
import type { AuthorizationCode, Grant, IdpAccessToken, RefreshToken, Session } from '../token-types.js';
import { readStringArray } from './json-columns.js';

interface SessionRow {
  id: string;
  user_id: string;
  auth_time: number;
  amr: string;
  expires_at: number;
}

interface GrantRow {
  id: string;
  client_id: string;
  user_id: string;
  scope: string;
  session_id: string | null;
  auth_time: number;
  amr: string;
  nonce: string | null;
  revoked_at: number | null;
}

interface CodeRow {
  grant_id: string;
  client_id: string;
  redirect_uri: string;
  code_challenge: string;
  expires_at: number;
  consumed_at: number | null;
}

interface RefreshRow {
  id: string;
  grant_id: string;
  client_id: string;
  scope: string;
  expires_at: number;
  rotated_at: number | null;
}

interface AccessRow {
  id: string;
  grant_id: string;
  client_id: string;
  scope: string;
  expires_at: number;
}

const toSession = (row: SessionRow): Session => ({
  id: row.id,
  userId: row.user_id,
  authTime: row.auth_time,
  amr: readStringArray(row.amr),
  expiresAt: row.expires_at,
});

const toGrant = (row: GrantRow): Grant => ({
  id: row.id,
  clientId: row.client_id,
  userId: row.user_id,
  scope: row.scope,
  sessionId: row.session_id,
  authTime: row.auth_time,
  amr: readStringArray(row.amr),
  nonce: row.nonce,
  revokedAt: row.revoked_at,
});

/**
 * Sessions, grants, codes and tokens (SQLite or PostgreSQL); single-use transitions are conditional UPDATEs judged
 * by their row count, so of two instances presenting one code or refresh token, one wins.
 */
export function createSqliteTokenStorage(db: SqlDatabase): TokenStorage {
  const insertSession = db.prepare(
    `INSERT INTO sessions (id, token_hash, user_id, auth_time, amr, created_at, expires_at)
     VALUES (@id, @tokenHash, @userId, @authTime, @amr, @createdAt, @expiresAt)`,
  );
  const findSession = db.prepare<[string, number], SessionRow>(
    'SELECT * FROM sessions WHERE token_hash = ? AND ended_at IS NULL AND expires_at > ?',
  );
  const endSession = db.prepare<[number, string]>('UPDATE sessions SET ended_at = ? WHERE id = ? AND ended_at IS NULL');
  const upgradeSession = db.prepare(
    `UPDATE sessions SET token_hash = @tokenHash, auth_time = @authTime, amr = @amr
     WHERE id = @id AND ended_at IS NULL`,
  );
  const insertGrant = db.prepare(
    `INSERT INTO grants (id, client_id, user_id, scope, session_id, auth_time, amr, nonce, created_at)
     VALUES (@id, @clientId, @userId, @scope, @sessionId, @authTime, @amr, @nonce, @createdAt)`,
  );
  const findGrant = db.prepare<[string], GrantRow>('SELECT * FROM grants WHERE id = ?');
  const revokeGrantRow = db.prepare<[number, string, string]>(
    'UPDATE grants SET revoked_at = ?, revoked_reason = ? WHERE id = ? AND revoked_at IS NULL',
  );
  // RFC 6749 §4.1.2 / RFC 9700 §4.14.2: the family includes the ID tokens, which are revoked by their record.
  const revokeGrantIdTokens = db.prepare<[number, string, string]>(
    'UPDATE id_tokens SET revoked_at = ?, revoked_reason = ? WHERE grant_id = ? AND revoked_at IS NULL',
  );
  const revokeGrant = db.transaction((at: number, reason: string, id: string): boolean => {
    if (revokeGrantRow.run(at, reason, id).changes !== 1) return false;
    revokeGrantIdTokens.run(at, reason, id);
    return true;
  });
  // Disabling or deleting a user: every grant of theirs (so every code, access and refresh token: they are all
  // checked against their grant) and every recorded ID token, indexed by user (migrations 102, 103).
  const revokeUserGrantRows = db.prepare<[number, string, string]>(
    'UPDATE grants SET revoked_at = ?, revoked_reason = ? WHERE user_id = ? AND revoked_at IS NULL',
  );
  const revokeUserIdTokens = db.prepare<[number, string, string]>(
    'UPDATE id_tokens SET revoked_at = ?, revoked_reason = ? WHERE user_id = ? AND revoked_at IS NULL',
  );
  const revokeUserGrants = db.transaction((at: number, reason: string, userId: string) => ({
    grants: Number(revokeUserGrantRows.run(at, reason, userId).changes),
    idTokens: Number(revokeUserIdTokens.run(at, reason, userId).changes),
  }));
  const endUserSessions = db.prepare<[number, string, number]>(
    'UPDATE sessions SET ended_at = ? WHERE user_id = ? AND ended_at IS NULL AND expires_at > ?',
  );
  const userSessions = db.prepare<[string, number], SessionRow>(
    'SELECT * FROM sessions WHERE user_id = ? AND ended_at IS NULL AND expires_at > ? ORDER BY created_at DESC',
  );
  const sessionById = db.prepare<[string], SessionRow & { ended_at: number | null }>(
    'SELECT * FROM sessions WHERE id = ?',
  );
  // Sign-out: every grant of the session (indexed by session, migration 141), then their ID token records.
  const revokeSessionIdTokens = db.prepare<[number, string, string]>(
    `UPDATE id_tokens SET revoked_at = ?, revoked_reason = ?
     WHERE revoked_at IS NULL AND grant_id IN (SELECT id FROM grants WHERE session_id = ?)`,
  );
  const revokeSessionGrantRows = db.prepare<[number, string, string]>(
    'UPDATE grants SET revoked_at = ?, revoked_reason = ? WHERE session_id = ? AND revoked_at IS NULL',
  );
  const revokeSessionGrants = db.transaction((at: number, reason: string, sessionId: string) => ({
    idTokens: Number(revokeSessionIdTokens.run(at, reason, sessionId).changes),
    grants: Number(revokeSessionGrantRows.run(at, reason, sessionId).changes),
  }));
  const insertCode = db.prepare(
    `INSERT INTO authorization_codes (code_hash, grant_id, client_id, redirect_uri, code_challenge, expires_at)
     VALUES (@codeHash, @grantId, @clientId, @redirectUri, @codeChallenge, @expiresAt)`,
  );
  const findCode = db.prepare<[string], CodeRow>('SELECT * FROM authorization_codes WHERE code_hash = ?');
  const consumeCode = db.prepare<[number, string]>(
    'UPDATE authorization_codes SET consumed_at = ? WHERE code_hash = ? AND consumed_at IS NULL',
  );
  const insertRefresh = db.prepare(
    `INSERT INTO refresh_tokens (token_hash, id, grant_id, client_id, scope, created_at, expires_at)
     VALUES (@tokenHash, @id, @grantId, @clientId, @scope, @createdAt, @expiresAt)`,
  );
  const findRefresh = db.prepare<[string], RefreshRow>('SELECT * FROM refresh_tokens WHERE token_hash = ?');
  const rotateRefresh = db.prepare<[number, string]>(
    'UPDATE refresh_tokens SET rotated_at = ? WHERE token_hash = ? AND rotated_at IS NULL',
  );
  const insertAccess = db.prepare(
    `INSERT INTO access_tokens (token_hash, id, grant_id, client_id, scope, expires_at)
     VALUES (@tokenHash, @id, @grantId, @clientId, @scope, @expiresAt)`,
  );
  const findAccess = db.prepare<[string], AccessRow>('SELECT * FROM access_tokens WHERE token_hash = ?');

  return {
    insertSession: (session) => {
      insertSession.run({ ...session, amr: JSON.stringify(session.amr) });
    },
    findSession: (tokenHash, now) => {
      const row = findSession.get(tokenHash, now);
      return row === undefined ? undefined : toSession(row);
    },
    endSession: (id, at) => {
      endSession.run(at, id);
    },
    upgradeSession: (id, upgrade) =>
      upgradeSession.run({
        id,
        tokenHash: upgrade.tokenHash,
        authTime: upgrade.authTime,
        amr: JSON.stringify(upgrade.amr),
      }).changes === 1,
    insertGrant: (grant) => {
      insertGrant.run({
        id: grant.id,
        clientId: grant.clientId,
        userId: grant.userId,
        scope: grant.scope,
        sessionId: grant.sessionId,
        authTime: grant.authTime,
        amr: JSON.stringify(grant.amr),
        nonce: grant.nonce,
        createdAt: grant.createdAt,
      });
    },
    findGrant: (id) => {
      const row = findGrant.get(id);
      return row === undefined ? undefined : toGrant(row);
    },
    revokeGrant: (id, at, reason) => revokeGrant.immediate(at, reason, id),
    revokeUserGrants: (userId, at, reason) => revokeUserGrants.immediate(at, reason, userId),
    endUserSessions: (userId, at) => Number(endUserSessions.run(at, userId, at).changes),
    listUserSessions: (userId, now) => userSessions.all(userId, now).map(toSession),
    findSessionById: (id) => {
      const row = sessionById.get(id);
      return row === undefined ? undefined : { ...toSession(row), endedAt: row.ended_at };
    },
    revokeSessionGrants: (sessionId, at, reason) => revokeSessionGrants.immediate(at, reason, sessionId),
    insertAuthorizationCode: (codeHash, code: AuthorizationCode) => {
      insertCode.run({ codeHash, ...code });
    },
    findAuthorizationCode: (codeHash) => {
      const row = findCode.get(codeHash);
      if (row === undefined) return undefined;
      return {
        grantId: row.grant_id,
        clientId: row.client_id,
        redirectUri: row.redirect_uri,
        codeChallenge: row.code_challenge,
        expiresAt: row.expires_at,
        consumedAt: row.consumed_at,
      };
    },
    consumeAuthorizationCode: (codeHash, at) => consumeCode.run(at, codeHash).changes === 1,
    insertRefreshToken: (tokenHash, token: RefreshToken & { createdAt: number }) => {
      insertRefresh.run({
        tokenHash,
        id: token.id,
        grantId: token.grantId,
        clientId: token.clientId,
        scope: token.scope,
        createdAt: token.createdAt,
        expiresAt: token.expiresAt,
      });
    },
    findRefreshToken: (tokenHash) => {
      const row = findRefresh.get(tokenHash);
      if (row === undefined) return undefined;
      return {
        id: row.id,
        grantId: row.grant_id,
        clientId: row.client_id,
        scope: row.scope,
        expiresAt: row.expires_at,
        rotatedAt: row.rotated_at,
      };
    },
    rotateRefreshToken: (tokenHash, at) => rotateRefresh.run(at, tokenHash).changes === 1,
    insertAccessToken: (tokenHash, token: IdpAccessToken) => {
      insertAccess.run({ tokenHash, ...token });
    },
    findAccessToken: (tokenHash) => {
      const row = findAccess.get(tokenHash);
      if (row === undefined) return undefined;
      return {
        id: row.id,
        grantId: row.grant_id,
        clientId: row.client_id,
        scope: row.scope,
        expiresAt: row.expires_at,
      };
    },
  };
}
