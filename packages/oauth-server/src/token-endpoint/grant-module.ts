import type { TokenResponse } from '@ema/protocol';
import type { ClientAuthMethod, RegisteredClient } from '../client-auth/registered-client.js';
import type { DpopBinding } from '../dpop/token-request-proof.js';

/** What a grant handler receives: the parsed, de-duplicated parameters and the authenticated client. */
export interface TokenRequestContext<C extends RegisteredClient = RegisteredClient> {
  params: ReadonlyMap<string, string>;
  client: C;
  clientAuthMethod: ClientAuthMethod;
  /** RFC 9449 §5: the key the request proved possession of, when it carried a valid DPoP proof. */
  dpop?: DpopBinding | undefined;
}

/**
 * A pluggable grant type: the token endpoint dispatches on `grant_type` to the module whose `grantType` matches.
 * The handler returns the JSON token response (RFC 6749 §5.1), typed `R` (one of `@ema/protocol`'s per-grant
 * responses: `OidcTokenResponse`, `TokenExchangeResponse`, `AccessTokenResponse`), or throws an `OAuthError`.
 */
export interface GrantModule<C extends RegisteredClient = RegisteredClient, R extends TokenResponse = TokenResponse> {
  grantType: string;
  handler(ctx: TokenRequestContext<C>): Promise<R>;
}
