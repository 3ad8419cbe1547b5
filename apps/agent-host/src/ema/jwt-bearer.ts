/** Step 4 of the flow: the RFC 7523 jwt-bearer grant at the RAS, redeeming the ID-JAG (ID-JAG §4.4). */
import { GRANT_TYPE_JWT_BEARER, TOKEN_TYPE_BEARER } from '@ema/protocol';
import type { ClientAuthentication } from './client-authentication.js';
import { ClientAuthenticationError, GrantRefusedError, PolicyDenialError, TokenResponseError } from './errors.js';
import type { FetchLike } from './recorder.js';
import { postTokenRequest, readExpiresIn, readOptionalString } from './token-endpoint.js';

/** Parameters of {@link redeemIdJag}. */
export interface JwtBearerRequest {
  tokenEndpoint: string;
  /** This host's credentials at THIS RAS (they differ from its IdP credentials). */
  clientAuthentication: ClientAuthentication;
  idJag: string;
  scopes: readonly string[];
  resource: string | undefined;
  fetch: FetchLike;
}

/** An access token issued by the RAS. */
export interface IssuedAccessToken {
  accessToken: string;
  expiresIn: number | undefined;
  scope: string | undefined;
}

/**
 * Builds the jwt-bearer grant parameters (RFC 7523 §2.1), shared with the SDK path. `resource` (RFC 8707) is set
 * here rather than left to the SDK, which sends it only when its own resource selection agrees.
 */
export function jwtBearerParams(idJag: string, scopes: readonly string[], resource?: string): URLSearchParams {
  const params = new URLSearchParams({ grant_type: GRANT_TYPE_JWT_BEARER, assertion: idJag });
  if (scopes.length > 0) params.set('scope', scopes.join(' '));
  if (resource !== undefined) params.set('resource', resource);
  return params;
}

/** Checks the token type of an access token response (RFC 6749 §5.1: case-insensitive). */
export function requireBearerTokenType(tokenType: unknown): void {
  if (typeof tokenType !== 'string' || tokenType.toLowerCase() !== TOKEN_TYPE_BEARER.toLowerCase()) {
    throw new TokenResponseError('ras', `token_type is ${String(tokenType)}, expected Bearer`);
  }
}

/** Maps an error answer of the RAS token endpoint to a typed error. */
export function rasTokenError(error: string, description: string | undefined): Error {
  if (error === 'invalid_client') return new ClientAuthenticationError('ras');
  if (error === 'invalid_target' || error === 'access_denied') return new PolicyDenialError('ras', error, description);
  return new GrantRefusedError('ras', error, description);
}

/** Redeems an ID-JAG for an access token at the RAS. */
export async function redeemIdJag(request: JwtBearerRequest): Promise<IssuedAccessToken> {
  const params = jwtBearerParams(request.idJag, request.scopes, request.resource);
  const answer = await postTokenRequest(
    'ras',
    request.fetch,
    request.tokenEndpoint,
    params,
    request.clientAuthentication,
  );
  if (!answer.ok) throw rasTokenError(answer.error.error, answer.error.description);
  const body = answer.body;
  requireBearerTokenType(body.token_type);
  if (typeof body.access_token !== 'string' || body.access_token.length === 0) {
    throw new TokenResponseError('ras', 'access_token is missing');
  }
  return {
    accessToken: body.access_token,
    expiresIn: readExpiresIn('ras', body),
    scope: readOptionalString('ras', body, 'scope'),
  };
}
