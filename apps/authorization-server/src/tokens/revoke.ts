import type { AccessTokenClaims } from '@ema/protocol';
import type { RevokedTokenStorage } from '../storage/revoked-tokens.js';
import { type OwnAccessTokenOptions, readOwnAccessToken } from './read-access-token.js';

/** What a revocation request came to. */
export type RevocationOutcome = 'revoked' | 'ignored' | 'foreign';

/**
 * RFC 7009 §2.1-2.2: revokes an access token for the client it was issued to. A token that is not a live token of
 * this RAS is `ignored` (the endpoint still answers 200). A live token issued to another client is `foreign`: the
 * request is refused, which reveals nothing the caller cannot read in the token itself.
 */
export async function revokeAccessToken(
  token: string,
  clientId: string,
  options: OwnAccessTokenOptions & {
    revokedTokens: RevokedTokenStorage;
    /** Records the revocation (`record`, run inside one transaction with what the caller adds, e.g. forwarding). */
    inTransaction: (record: () => void) => void;
    /** Tells the resource server of the token (a Security Event), inside the same transaction. */
    forward: (claims: AccessTokenClaims) => void;
  },
): Promise<{ outcome: RevocationOutcome; jti?: string }> {
  const claims = await readOwnAccessToken(token, options);
  if (!claims) return { outcome: 'ignored' };
  if (claims.client_id !== clientId) return { outcome: 'foreign', jti: claims.jti };
  options.inTransaction(() => {
    options.revokedTokens.revoke({ jti: claims.jti, clientId, exp: claims.exp }, options.now());
    options.forward(claims);
  });
  return { outcome: 'revoked', jti: claims.jti };
}
