import type { AccessTokenClaims, IntrospectionResponse } from '@ema/protocol';
import { TOKEN_TYPE_BEARER } from '@ema/protocol';
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
    token_type: TOKEN_TYPE_BEARER,
    exp: claims.exp,
    iat: claims.iat,
    sub: claims.sub,
    aud: claims.aud,
    iss: claims.iss,
    jti: claims.jti,
  };
  if (claims.scope !== undefined) response.scope = claims.scope;
  if (claims.email !== undefined) response.username = claims.email;
  return response;
}
