import type { AccessTokenClaims, AuthorizationDetails, IdJagClaims } from '@ema/protocol';
import type { LocalAccount } from './redemption-storage.js';

/**
 * The organization's decision an access token rests on: the ID-JAG's issuer and `jti`, and the authentication
 * context it carried (an `IdJagClaims` fits).
 */
export type AccessTokenAuthorization = Pick<IdJagClaims, 'iss' | 'jti' | 'auth_time' | 'acr' | 'amr' | 'sid'>;

/** What one access token is about. */
export interface AccessTokenGrant {
  account: LocalAccount;
  idJag: AccessTokenAuthorization;
  clientId: string;
  resource: string;
  scope: string;
  /** RFC 9396 §9.1: the granted authorization details, when the ID-JAG carried some. */
  authorizationDetails?: AuthorizationDetails | undefined;
  jti: string;
  iat: number;
  /** RFC 9449 §6.1: the DPoP key's thumbprint when the token is sender-constrained. */
  jkt?: string | undefined;
}

/**
 * RFC 9068 §2: the claims of a JWT access token (minted with `typ: at+jwt`) audience-restricted to exactly one
 * resource (RFC 8707). `sub` is the local account id at this server (RFC 9068 §2.2: `sub` is scoped to the token's
 * issuer); the authentication context of the ID-JAG passes through, `id_jag_jti` / `id_jag_iss` let a tool call
 * be traced back to the IdP's decision, `sid` (the IdP session) lets a revoked session reach the token, and `cnf.jkt`
 * (RFC 9449 §6.1) binds it to the client's DPoP key.
 */
export function accessTokenClaims(issuer: string, ttlSeconds: number, grant: AccessTokenGrant): AccessTokenClaims {
  const { idJag, account } = grant;
  const claims: AccessTokenClaims = {
    iss: issuer,
    sub: account.accountId,
    aud: grant.resource,
    client_id: grant.clientId,
    scope: grant.scope,
    jti: grant.jti,
    iat: grant.iat,
    exp: grant.iat + ttlSeconds,
    id_jag_jti: idJag.jti,
    id_jag_iss: idJag.iss,
  };
  if (idJag.auth_time !== undefined) claims.auth_time = idJag.auth_time;
  if (idJag.acr !== undefined) claims.acr = idJag.acr;
  if (idJag.amr !== undefined) claims.amr = idJag.amr;
  if (idJag.sid !== undefined) claims.sid = idJag.sid;
  if (grant.authorizationDetails !== undefined) claims.authorization_details = grant.authorizationDetails;
  if (account.email !== null) claims.email = account.email;
  if (account.name !== null) claims.name = account.name;
  if (grant.jkt !== undefined) claims.cnf = { jkt: grant.jkt };
  return claims;
}
