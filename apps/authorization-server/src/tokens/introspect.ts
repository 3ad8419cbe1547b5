import type { AccessTokenClaims, IntrospectionResponse } from '@ema/protocol';
import { TOKEN_TYPE_BEARER, TOKEN_TYPE_DPOP } from '@ema/protocol';
import type { RevokedTokenStorage } from '../storage/revoked-tokens.js';
import { type OwnAccessTokenOptions, readOwnAccessToken } from './read-access-token.js';

/**
 * RFC 7662 §2.2: introspects an access token for an authenticated client. Unknown, malformed, expired, revoked and
 * foreign tokens (issued to another client) all answer just `{ "active": false }` (§2.2: no further information).
 */
export async function introspectAccessToken(
  token: string,
  clientId: string,
  options: OwnAccessTokenOptions & {
    revokedTokens: RevokedTokenStorage;
    /** Whether a cut-off the IdP announced (Security Events) revokes the token. */
    isCutOff: (claims: AccessTokenClaims) => boolean;
  },
): Promise<IntrospectionResponse> {
  const claims = await readOwnAccessToken(token, options);
  if (!claims || claims.client_id !== clientId || options.revokedTokens.isRevoked(claims.jti)) return { active: false };
  if (options.isCutOff(claims)) return { active: false };
  const response: IntrospectionResponse = {
    active: true,
    client_id: claims.client_id,
    // RFC 9449 §6.2: a DPoP-bound token is introspected as such, with the key it is bound to.
    token_type: claims.cnf?.jkt === undefined ? TOKEN_TYPE_BEARER : TOKEN_TYPE_DPOP,
    exp: claims.exp,
    iat: claims.iat,
    sub: claims.sub,
    aud: claims.aud,
    iss: claims.iss,
    jti: claims.jti,
  };
  if (claims.scope !== undefined) response.scope = claims.scope;
  if (claims.email !== undefined) response.username = claims.email;
  // RFC 9396 §9.2: a token limited by authorization details says so to whoever introspects it.
  if (claims.authorization_details !== undefined) response.authorization_details = claims.authorization_details;
  if (claims.cnf?.jkt !== undefined) response.cnf = { jkt: claims.cnf.jkt };
  return response;
}
