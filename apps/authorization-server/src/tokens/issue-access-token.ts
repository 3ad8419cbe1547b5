import { mintAccessToken, type Signer } from '@ema/jwt';
import type { AccessTokenClaims, IdJagClaims } from '@ema/protocol';
import type { Account } from '../storage/subjects.js';

/** Signing context of access tokens. */
export interface AccessTokenIssuer {
  issuer: string;
  ttlSeconds: number;
  signer: Signer;
}

/** What one access token is about. */
export interface AccessTokenGrant {
  account: Account;
  idJag: IdJagClaims;
  clientId: string;
  resource: string;
  scope: string;
  jti: string;
  iat: number;
}

/**
 * RFC 9068 §2: a JWT access token (`typ: at+jwt`) audience-restricted to exactly one MCP server (RFC 8707). `sub` is
 * the local account id at this RAS; the authentication context of the ID-JAG passes through, and `id_jag_jti` /
 * `id_jag_iss` let a tool call be traced back to the IdP's decision.
 */
export function accessTokenClaims(
  issuer: Omit<AccessTokenIssuer, 'signer'>,
  grant: AccessTokenGrant,
): AccessTokenClaims {
  const { idJag, account } = grant;
  const claims: AccessTokenClaims = {
    iss: issuer.issuer,
    sub: account.accountId,
    aud: grant.resource,
    client_id: grant.clientId,
    scope: grant.scope,
    jti: grant.jti,
    iat: grant.iat,
    exp: grant.iat + issuer.ttlSeconds,
    id_jag_jti: idJag.jti,
    id_jag_iss: idJag.iss,
  };
  if (idJag.auth_time !== undefined) claims.auth_time = idJag.auth_time;
  if (idJag.acr !== undefined) claims.acr = idJag.acr;
  if (idJag.amr !== undefined) claims.amr = idJag.amr;
  if (account.email !== null) claims.email = account.email;
  if (account.name !== null) claims.name = account.name;
  return claims;
}

/** Mints the signed access token for a grant. */
export function issueAccessToken(issuer: AccessTokenIssuer, grant: AccessTokenGrant): Promise<string> {
  return mintAccessToken(accessTokenClaims(issuer, grant), issuer.signer);
}
