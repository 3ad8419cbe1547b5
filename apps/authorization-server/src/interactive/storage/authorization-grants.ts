/**
 * Grants of the interactive path (SQLite or PostgreSQL, one set of queries): each user's authorization of a client at a resource, its authorization
 * code, its refresh tokens (rotated) and the access tokens issued from it. These are the storage seams of the
 * authorization code and refresh token grants of `@ema/oauth-server`; codes and refresh tokens are looked up by
 * their SHA-256 hash.
 */
import type {
  AccessTokenAuthorization,
  AuthorizationCodeStore,
  AuthorizationGrant,
  GrantFamilyStore,
  RefreshTokenStore,
} from '@ema/oauth-server';
import type { SqlDatabase } from '@ema/storage';
import { secretHash } from './secret-hash.js';

/** A new grant and its authorization code. */
export interface NewAuthorization {
  grant: Omit<AuthorizationGrant, 'account'> & { accountId: string };
  idpRefreshToken: string | null;
  code: string;
  redirectUri: string;
  codeChallenge: string;
  issueRefreshToken: boolean;
  /** Seconds since the epoch. */
  codeExpiresAt: number;
}

/** The grants storage: the three seams, plus creation, the IdP refresh token and the purge. */
export interface AuthorizationGrantStorage {
  codes: AuthorizationCodeStore;
  refreshTokens: RefreshTokenStore;
  grants: GrantFamilyStore;
  /** Stores a grant and its code (one transaction is the caller's). */
  createWithCode(authorization: NewAuthorization, nowMs: number): void;
  /** The IdP refresh token this server re-chains with at each refresh, while the grant is live. */
  idpRefreshToken(grantId: string): string | undefined;
  /** Deletes spent codes, expired refresh tokens and access-token records past expiry (seconds). */
  purgeExpired(beforeSeconds: number): number;
}

interface GrantRow {
  grant_id: string;
  client_id: string;
  account_id: string;
  resource: string;
  scope: string;
  authorization: string;
  email: string | null;
  name: string | null;
}

const GRANT_COLUMNS = `g.grant_id, g.client_id, g.account_id, g.resource, g.scope, g."authorization", s.email, s.name`;

function toGrant(row: GrantRow): AuthorizationGrant {
  return {
    grantId: row.grant_id,
    clientId: row.client_id,
    account: { accountId: row.account_id, email: row.email, name: row.name },
    resource: row.resource,
    scope: row.scope,
    // Written by this server from an accepted ID-JAG; read back as such.
    authorization: JSON.parse(row.authorization) as AccessTokenAuthorization,
  };
}

/**
 * Grants, codes and refresh tokens on either store. A code is spent and a refresh token rotated by one conditional
 * `UPDATE … WHERE consumed_at IS NULL` (`rotated_at IS NULL`) judged by its `changes`: of two instances redeeming the
 * same one at once, exactly one wins and the other sees a reuse. The column `authorization` is quoted everywhere: a
 * reserved word in PostgreSQL (SQLite reads the quoted name the same).
 */
export function createAuthorizationGrantStorage(db: SqlDatabase): AuthorizationGrantStorage {
  const insertGrant = db.prepare(
    `INSERT INTO authorization_grants (grant_id, client_id, account_id, resource, scope, "authorization",
       idp_refresh_token, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertCode = db.prepare(
    `INSERT INTO authorization_codes (code_hash, grant_id, redirect_uri, code_challenge, issue_refresh_token, expires_at)
     VALUES (?, ?, ?, ?, ?, ?)`,
  );
  const findCode = db.prepare<
    [string],
    GrantRow & {
      redirect_uri: string;
      code_challenge: string;
      issue_refresh_token: number;
      expires_at: number;
      consumed_at: number | null;
    }
  >(
    `SELECT ${GRANT_COLUMNS}, c.redirect_uri, c.code_challenge, c.issue_refresh_token, c.expires_at, c.consumed_at
     FROM authorization_codes c JOIN authorization_grants g USING (grant_id) JOIN subjects s USING (account_id)
     WHERE c.code_hash = ?`,
  );
  const consumeCode = db.prepare(
    'UPDATE authorization_codes SET consumed_at = ? WHERE code_hash = ? AND consumed_at IS NULL',
  );
  const findRefresh = db.prepare<[string], GrantRow & { expires_at: number; rotated_at: number | null }>(
    `SELECT ${GRANT_COLUMNS}, r.expires_at, r.rotated_at
     FROM refresh_tokens r JOIN authorization_grants g USING (grant_id) JOIN subjects s USING (account_id)
     WHERE r.token_hash = ?`,
  );
  const rotate = db.prepare('UPDATE refresh_tokens SET rotated_at = ? WHERE token_hash = ? AND rotated_at IS NULL');
  const insertRefresh = db.prepare(
    'INSERT INTO refresh_tokens (token_hash, grant_id, expires_at, created_at) VALUES (?, ?, ?, ?)',
  );
  const revoked = db.prepare<[string], { revoked: number }>(
    // A CASE, not `revoked_at IS NOT NULL`: PostgreSQL would answer a boolean where SQLite answers 0/1.
    'SELECT CASE WHEN revoked_at IS NULL THEN 0 ELSE 1 END AS revoked FROM authorization_grants WHERE grant_id = ?',
  );
  const revokeGrant = db.prepare(
    `UPDATE authorization_grants SET revoked_at = ?, revoked_reason = ?, idp_refresh_token = NULL
     WHERE grant_id = ? AND revoked_at IS NULL`,
  );
  const revokeTokens = db.prepare(
    `INSERT INTO revoked_tokens (jti, client_id, exp, revoked_at)
     SELECT jti, client_id, exp, ? FROM grant_access_tokens WHERE grant_id = ? ON CONFLICT DO NOTHING`,
  );
  const recordToken = db.prepare('INSERT INTO grant_access_tokens (jti, grant_id, client_id, exp) VALUES (?, ?, ?, ?)');
  const idpRefresh = db.prepare<[string], { idp_refresh_token: string | null }>(
    'SELECT idp_refresh_token FROM authorization_grants WHERE grant_id = ? AND revoked_at IS NULL',
  );
  const purgeCodes = db.prepare('DELETE FROM authorization_codes WHERE expires_at < ?');
  const purgeRefresh = db.prepare('DELETE FROM refresh_tokens WHERE expires_at < ?');
  const purgeTokens = db.prepare('DELETE FROM grant_access_tokens WHERE exp < ?');

  return {
    codes: {
      find: (code) => {
        const row = findCode.get(secretHash(code));
        return (
          row && {
            grant: toGrant(row),
            redirectUri: row.redirect_uri,
            codeChallenge: row.code_challenge,
            expiresAt: row.expires_at,
            consumed: row.consumed_at !== null,
            issueRefreshToken: row.issue_refresh_token === 1,
          }
        );
      },
      consume: (code, nowMs) => consumeCode.run(nowMs, secretHash(code)).changes === 1,
    },
    refreshTokens: {
      find: (token) => {
        const row = findRefresh.get(secretHash(token));
        return row && { grant: toGrant(row), expiresAt: row.expires_at, rotated: row.rotated_at !== null };
      },
      rotate: (token, nowMs) => rotate.run(nowMs, secretHash(token)).changes === 1,
      issue: (token, grantId, expiresAt, nowMs) => {
        insertRefresh.run(secretHash(token), grantId, expiresAt, nowMs);
      },
    },
    grants: {
      isRevoked: (grantId) => revoked.get(grantId)?.revoked !== 0,
      revoke: (grantId, reason, nowMs) => {
        revokeGrant.run(nowMs, reason, grantId);
        revokeTokens.run(nowMs, grantId);
      },
      recordAccessToken: (grantId, token) => {
        recordToken.run(token.jti, grantId, token.clientId, token.exp);
      },
    },
    createWithCode: (authorization, nowMs) => {
      const { grant } = authorization;
      insertGrant.run(
        grant.grantId,
        grant.clientId,
        grant.accountId,
        grant.resource,
        grant.scope,
        JSON.stringify(grant.authorization),
        authorization.idpRefreshToken,
        nowMs,
      );
      insertCode.run(
        secretHash(authorization.code),
        grant.grantId,
        authorization.redirectUri,
        authorization.codeChallenge,
        authorization.issueRefreshToken ? 1 : 0,
        authorization.codeExpiresAt,
      );
    },
    idpRefreshToken: (grantId) => idpRefresh.get(grantId)?.idp_refresh_token ?? undefined,
    purgeExpired: (beforeSeconds) =>
      Number(purgeCodes.run(beforeSeconds).changes) +
      Number(purgeRefresh.run(beforeSeconds).changes) +
      Number(purgeTokens.run(beforeSeconds).changes),
  };
}
