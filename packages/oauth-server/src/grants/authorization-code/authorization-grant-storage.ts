/**
 * What the authorization code and refresh token grants need from the server they run in: one narrow interface per
 * concern. Implement them over your database (the RAS: SQLite, `apps/authorization-server/src/interactive/storage`).
 * Codes and refresh tokens are looked up by their value; store only a hash of it.
 */
import type { AccessTokenAuthorization } from '../jwt-bearer/access-token-claims.js';
import type { LocalAccount } from '../jwt-bearer/redemption-storage.js';

/**
 * One user's authorization of one client at one resource: what an authorization code, and the refresh tokens and
 * access tokens that come from it, stand for (one token family, RFC 9700 §4.14.2).
 */
export interface AuthorizationGrant {
  grantId: string;
  clientId: string;
  /** The local account: the `sub` of the access tokens. */
  account: LocalAccount;
  /** The one resource (RFC 8707): the `aud` of the access tokens. */
  resource: string;
  /** The granted scopes (space-separated): never more than the organization's decision carried. */
  scope: string;
  /** The organization's decision (the ID-JAG obtained by identity chaining) and its authentication context. */
  authorization: AccessTokenAuthorization;
}

/** An issued authorization code (RFC 6749 §4.1.2). */
export interface StoredAuthorizationCode {
  grant: AuthorizationGrant;
  /** The `redirect_uri` of the authorization request, exactly as sent. */
  redirectUri: string;
  /** RFC 7636 §4.3: the S256 `code_challenge` of the authorization request. */
  codeChallenge: string;
  /** Seconds since the epoch. */
  expiresAt: number;
  /** Whether it was already redeemed. */
  consumed: boolean;
  /** Whether the client gets a refresh token (it registered the `refresh_token` grant, RFC 7591 §2). */
  issueRefreshToken: boolean;
}

/** Authorization codes. */
export interface AuthorizationCodeStore {
  find(code: string): StoredAuthorizationCode | undefined;
  /** Marks the code redeemed; `false` when it already was (atomic: of two concurrent redemptions one wins). */
  consume(code: string, nowMs: number): boolean;
}

/** An issued refresh token. */
export interface StoredRefreshToken {
  grant: AuthorizationGrant;
  /** Seconds since the epoch. */
  expiresAt: number;
  /** Whether it was already exchanged for a new one (RFC 9700 §4.14.2: presenting it again is reuse). */
  rotated: boolean;
}

/** Refresh tokens, rotated on every use. */
export interface RefreshTokenStore {
  find(token: string): StoredRefreshToken | undefined;
  /** Marks the token rotated; `false` when it already was (atomic). */
  rotate(token: string, nowMs: number): boolean;
  /** Stores a new refresh token of the grant, valid until `expiresAt` (seconds). */
  issue(token: string, grantId: string, expiresAt: number, nowMs: number): void;
}

/** Token families: each grant, whether it was revoked, and the access tokens issued from it. */
export interface GrantFamilyStore {
  isRevoked(grantId: string): boolean;
  /**
   * Revokes the grant: its refresh tokens stop working, and every access token issued from it is recorded as revoked
   * (RFC 6749 §4.1.2: a reused code; RFC 9700 §4.14.2: a reused refresh token).
   */
  revoke(grantId: string, reason: string, nowMs: number): void;
  /** Remembers an access token issued from the grant, so that revoking the grant revokes it too. */
  recordAccessToken(grantId: string, token: { jti: string; clientId: string; exp: number }): void;
}
