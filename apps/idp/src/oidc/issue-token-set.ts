import { mintIdToken } from '@ema/jwt';
import { type IdTokenClaims, type OidcTokenResponse, parseScope, TOKEN_TYPE_BEARER } from '@ema/protocol';
import { type IdpContext, nowSeconds } from '../idp-context.js';
import type { User } from '../storage/directory-types.js';
import type { Grant } from '../storage/token-types.js';
import { generateId, generateOpaqueToken, hashOpaqueToken } from '../tokens/opaque-token.js';
import { acrOfMethods } from './authentication-context.js';
import { recordIssuedIdToken } from './id-token-record.js';

/** Options of {@link prepareTokenSet}. */
export interface IssueTokenSetOptions {
  /** The scope of this response (a refresh may narrow the grant's scope, RFC 6749 §6). */
  readonly scope: string;
  /** OIDC Core §3.1.3.6: the nonce goes in ID tokens of the code flow; §12.2: not in refreshed ones. */
  readonly includeNonce: boolean;
}

/** A token set minted and not yet stored: nothing of it may leave before `store` has committed. */
export interface PreparedTokenSet {
  /** The token response (RFC 6749 §5.1, OIDC Core §3.1.3.3). */
  readonly response: OidcTokenResponse;
  /**
   * Stores the set: the ID token's record, the access token, the refresh token and one audit record per token.
   * Synchronous; run it in the transaction that also consumes what the request redeems (the code, the presented
   * refresh token), so that the request is kept whole or not at all (a full disk then costs the client a retry,
   * never its code or its refresh token).
   */
  store(): void;
}

/**
 * Mints an ID token and generates an IdP access token (opaque, for userinfo) and, when the grant includes
 * `offline_access` (OIDC Core §11), a refresh token of the grant's family. Each token is audited by its id, never its
 * value, when the set is stored.
 */
export async function prepareTokenSet(
  context: IdpContext,
  grant: Grant,
  user: User,
  options: IssueTokenSetOptions,
): Promise<PreparedTokenSet> {
  const { config, storage } = context;
  const now = nowSeconds(context);
  const idTokenJti = generateId('idt');
  const claims: IdTokenClaims = {
    iss: config.issuer,
    sub: user.id,
    aud: grant.clientId,
    azp: grant.clientId,
    iat: now,
    exp: now + config.idTokenTtlSeconds,
    jti: idTokenJti,
    auth_time: grant.authTime,
    // OIDC Core §2: the class the sign-in satisfied, and how it was made (RFC 8176).
    acr: acrOfMethods(grant.amr),
    amr: [...grant.amr],
    name: user.name,
    preferred_username: user.username,
    email: user.email,
    email_verified: true,
    groups: [...user.groups],
  };
  if (grant.sessionId !== null) claims.sid = grant.sessionId;
  if (options.includeNonce && grant.nonce !== null) claims.nonce = grant.nonce;
  const idToken = await mintIdToken(claims, context.keyStore.signer());

  const accessToken = generateOpaqueToken();
  const accessTokenId = generateId('at');
  const response: OidcTokenResponse = {
    access_token: accessToken,
    token_type: TOKEN_TYPE_BEARER,
    expires_in: config.accessTokenTtlSeconds,
    scope: options.scope,
    id_token: idToken,
  };
  const refreshToken = parseScope(grant.scope).includes('offline_access') ? generateOpaqueToken() : undefined;
  const refreshTokenId = refreshToken === undefined ? undefined : generateId('rt');
  if (refreshToken !== undefined) response.refresh_token = refreshToken;

  const store = (): void => {
    // Recorded in the transaction that lets the response leave, so no ID token is ever out there that a grant
    // revocation cannot reach.
    recordIssuedIdToken(context, { jti: idTokenJti, grantId: grant.id, expiresAt: claims.exp });
    storage.insertAccessToken(hashOpaqueToken(accessToken), {
      id: accessTokenId,
      grantId: grant.id,
      clientId: grant.clientId,
      scope: options.scope,
      expiresAt: now + config.accessTokenTtlSeconds,
    });
    const issued = [idTokenJti, accessTokenId];
    if (refreshToken !== undefined && refreshTokenId !== undefined) {
      storage.insertRefreshToken(hashOpaqueToken(refreshToken), {
        id: refreshTokenId,
        grantId: grant.id,
        clientId: grant.clientId,
        scope: grant.scope,
        createdAt: now,
        expiresAt: now + config.refreshTokenTtlSeconds,
        rotatedAt: null,
      });
      issued.push(refreshTokenId);
    }
    for (const jti of issued) {
      context.audit.record({
        type: 'token.issued',
        outcome: 'success',
        subject: user.id,
        clientId: grant.clientId,
        jti,
        details: { kind: jti.slice(0, jti.indexOf('_')), grantId: grant.id, scope: options.scope },
      });
    }
  };
  return { response, store };
}
