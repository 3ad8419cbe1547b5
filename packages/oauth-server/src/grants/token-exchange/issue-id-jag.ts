import { mintIdJag, type Signer } from '@ema/jwt';
import { formatScope, type IdJagClaims } from '@ema/protocol';

/** What the IdP decided, to be put in an ID-JAG. */
export interface IdJagGrant {
  readonly issuer: string;
  /** The stable user id (`sub`) and, when known, the email the RAS may resolve the user by. */
  readonly user: { readonly id: string; readonly email?: string | undefined };
  /** The RAS issuer (`aud`) and the resource identifier (`resource`). */
  readonly resource: { readonly audience: string; readonly resource: string };
  /** The client's id at the RAS (ID-JAG §3 `client_id`), not its id at the IdP. */
  readonly rasClientId: string;
  readonly grantedScopes: readonly string[];
  readonly authTime: number;
  readonly amr: readonly string[];
  /** The IdP session of the sign-in (`sid`), when known. */
  readonly sessionId?: string | undefined;
  /** The sign-in's authentication context class (OIDC Core §2), carried when known. */
  readonly acr?: string | undefined;
  readonly jti: string;
  /** RFC 9449 §6.1: the thumbprint of the client's DPoP key, when the exchange carried a proof (`cnf.jkt`). */
  readonly jkt?: string | undefined;
  /** Issued-at, seconds. */
  readonly now: number;
  readonly ttlSeconds: number;
}

/** A signed ID-JAG and the claims it carries. */
export interface IssuedIdJag {
  readonly token: string;
  readonly claims: IdJagClaims;
}

/**
 * Step 6 of the profile's IdP checks: mints the ID-JAG (ID-JAG §3) with the GRANTED values only: `aud` = the RAS
 * issuer, `client_id` = the client's id at that RAS, `sub` = the stable user id, `resource`, `scope`, the sign-in's
 * `auth_time`, `amr` and `acr`, `email` so the RAS can resolve the user, and `sid` (the IdP session, OIDC Core §2) so
 * that a session revoked at the IdP reaches every token that descends from it; `cnf.jkt` when the client proved
 * possession of a DPoP key (RFC 9449 §6.1), so only that key can redeem it.
 */
export async function issueIdJag(grant: IdJagGrant, signer: Signer): Promise<IssuedIdJag> {
  const claims: IdJagClaims = {
    iss: grant.issuer,
    sub: grant.user.id,
    aud: grant.resource.audience,
    client_id: grant.rasClientId,
    jti: grant.jti,
    iat: grant.now,
    exp: grant.now + grant.ttlSeconds,
    resource: grant.resource.resource,
    scope: formatScope(grant.grantedScopes),
    auth_time: grant.authTime,
    amr: [...grant.amr],
  };
  if (grant.acr !== undefined) claims.acr = grant.acr;
  if (grant.user.email !== undefined) claims.email = grant.user.email;
  if (grant.sessionId !== undefined) claims.sid = grant.sessionId;
  // ID-JAG §3 cnf: the RAS redeems a bound ID-JAG only with a DPoP proof by the same key.
  if (grant.jkt !== undefined) claims.cnf = { jkt: grant.jkt };
  return { token: await mintIdJag(claims, signer), claims };
}
