/**
 * The tokens the authorization code and refresh token grants answer with: an RFC 9068 access token for the grant's
 * one resource and, when the client registered the refresh token grant, a new refresh token of the same family.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mintAccessToken, type Signer } from '@ema/jwt';
import { type AuthorizationCodeTokenResponse, TOKEN_TYPE_BEARER } from '@ema/protocol';
import { type AccessTokenAuthorization, accessTokenClaims } from '../jwt-bearer/access-token-claims.js';
import type { AuthorizationGrant, GrantFamilyStore, RefreshTokenStore } from './authorization-grant-storage.js';

/** Token settings shared by both grants. */
export interface InteractiveTokenOptions {
  /** This server's issuer identifier (`iss` of the access tokens). */
  issuer: string;
  accessTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
  grants: GrantFamilyStore;
  refreshTokens: RefreshTokenStore;
  /** The current access-token signing key. */
  signer: () => Signer;
  /** The access token's `jti` (default `crypto.randomUUID`). */
  newId?: () => string;
}

/** What was recorded inside the commit; the access token is signed after it. */
export interface PreparedTokens {
  grant: AuthorizationGrant;
  scope: string;
  authorization: AccessTokenAuthorization;
  accessTokenJti: string;
  iat: number;
  refreshToken: string | undefined;
}

/**
 * Records the new tokens (call inside the atomic commit): the access token's `jti` under its grant, and a new refresh
 * token (256 random bits) when `withRefreshToken`.
 */
export function recordInteractiveTokens(
  options: InteractiveTokenOptions,
  input: {
    grant: AuthorizationGrant;
    scope: string;
    authorization: AccessTokenAuthorization;
    withRefreshToken: boolean;
  },
  nowMs: number,
): PreparedTokens {
  const iat = Math.floor(nowMs / 1000);
  const accessTokenJti = (options.newId ?? randomUUID)();
  options.grants.recordAccessToken(input.grant.grantId, {
    jti: accessTokenJti,
    clientId: input.grant.clientId,
    exp: iat + options.accessTokenTtlSeconds,
  });
  let refreshToken: string | undefined;
  if (input.withRefreshToken) {
    refreshToken = randomBytes(32).toString('base64url');
    options.refreshTokens.issue(refreshToken, input.grant.grantId, iat + options.refreshTokenTtlSeconds, nowMs);
  }
  return {
    grant: input.grant,
    scope: input.scope,
    authorization: input.authorization,
    accessTokenJti,
    iat,
    refreshToken,
  };
}

/** Signs the access token of recorded tokens and builds the RFC 6749 §5.1 response. */
export async function tokenResponse(
  options: InteractiveTokenOptions,
  prepared: PreparedTokens,
): Promise<AuthorizationCodeTokenResponse> {
  const { grant } = prepared;
  const accessToken = await mintAccessToken(
    accessTokenClaims(options.issuer, options.accessTokenTtlSeconds, {
      account: grant.account,
      idJag: prepared.authorization,
      clientId: grant.clientId,
      resource: grant.resource,
      scope: prepared.scope,
      jti: prepared.accessTokenJti,
      iat: prepared.iat,
    }),
    options.signer(),
  );
  return {
    access_token: accessToken,
    token_type: TOKEN_TYPE_BEARER,
    expires_in: options.accessTokenTtlSeconds,
    scope: prepared.scope,
    ...(prepared.refreshToken === undefined ? {} : { refresh_token: prepared.refreshToken }),
  };
}
