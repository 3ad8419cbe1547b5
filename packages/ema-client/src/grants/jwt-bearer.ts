/** Step 4 of the flow: the RFC 7523 jwt-bearer grant at the RAS, redeeming the ID-JAG (ID-JAG §4.4). */
import {
  formatScope,
  GRANT_TYPE_JWT_BEARER,
  type JwtBearerRequest,
  TOKEN_TYPE_BEARER,
  TOKEN_TYPE_DPOP,
} from '@ema/protocol';
import type { ClientAuthentication } from '../client-authentication.js';
import { ClientAuthenticationError, GrantRefusedError, PolicyDenialError, TokenResponseError } from '../errors.js';
import type { FetchLike } from '../http/observer.js';
import { postTokenRequest, readExpiresIn } from './token-request.js';

/** Parameters of {@link redeemIdJag}. */
export interface IdJagRedemption {
  tokenEndpoint: string;
  /** This host's client authentication at THIS RAS (its registration differs from the one at the IdP). */
  clientAuthentication: ClientAuthentication;
  idJag: string;
  scopes: readonly string[];
  /** RFC 8707 resource indicator: the MCP server's resource identifier. */
  resource: string | undefined;
  fetch: FetchLike;
  /** Whether `fetch` sends a DPoP proof (RFC 9449 §5): then a `DPoP` token is expected, a `Bearer` one accepted. */
  dpop?: boolean;
}

/** An access token issued by the RAS. */
export interface IssuedAccessToken {
  accessToken: string;
  /** RFC 9449 §5: `DPoP` for a token bound to the proof's key. */
  tokenType: 'Bearer' | 'DPoP';
  expiresIn: number | undefined;
  scope: string | undefined;
}

/** Builds the jwt-bearer grant parameters (RFC 7523 §2.1), with the RFC 8707 `resource` when known. */
export function jwtBearerParams(idJag: string, scopes: readonly string[], resource?: string): URLSearchParams {
  const body: JwtBearerRequest = {
    grant_type: GRANT_TYPE_JWT_BEARER,
    assertion: idJag,
    ...(scopes.length > 0 ? { scope: formatScope(scopes) } : {}),
    ...(resource === undefined ? {} : { resource }),
  };
  return new URLSearchParams(body);
}

/** Maps an error answer of the RAS token endpoint to a typed error. */
export function rasTokenError(error: string, description: string | undefined): Error {
  if (error === 'invalid_client') return new ClientAuthenticationError('ras');
  if (error === 'invalid_target' || error === 'access_denied') return new PolicyDenialError('ras', error, description);
  return new GrantRefusedError('ras', error, description);
}

/** Redeems an ID-JAG for an access token at the RAS. */
export async function redeemIdJag(request: IdJagRedemption): Promise<IssuedAccessToken> {
  const params = jwtBearerParams(request.idJag, request.scopes, request.resource);
  const answer = await postTokenRequest(
    'ras',
    request.fetch,
    request.tokenEndpoint,
    params,
    request.clientAuthentication,
  );
  if (!answer.ok) throw rasTokenError(answer.error.body.error, answer.error.body.error_description);
  const body = answer.body;
  // RFC 6749 §5.1 / RFC 6750: a Bearer token, the type compared case-insensitively. RFC 9449 §5: a DPoP token only
  // when a proof was sent; a server without DPoP answers Bearer, which is then used as one.
  const tokenType = body.token_type.toLowerCase();
  const dpop = request.dpop === true && tokenType === TOKEN_TYPE_DPOP.toLowerCase();
  if (!dpop && tokenType !== TOKEN_TYPE_BEARER.toLowerCase()) {
    throw new TokenResponseError('ras', `token_type is ${body.token_type}, expected Bearer`);
  }
  if (body.access_token.length === 0) throw new TokenResponseError('ras', 'access_token is empty');
  return {
    accessToken: body.access_token,
    tokenType: dpop ? 'DPoP' : 'Bearer',
    expiresIn: readExpiresIn('ras', body.expires_in),
    scope: body.scope,
  };
}
