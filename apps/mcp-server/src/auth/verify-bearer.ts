/**
 * Bearer token validation for the MCP endpoint, framework-neutral: request headers in, a verified access token out,
 * or an OAuth error at the edge (the Fastify hook in `bearer-authentication.ts` only turns it into a challenge).
 */
import { type JwtErrorCode, JwtValidationError, type KeyResolver, verifyAccessToken } from '@ema/jwt';
import { InvalidRequestError, InvalidTokenError, TemporarilyUnavailableError } from '@ema/oauth-server';
import { AccessTokenPrincipal } from './access-token-principal.js';
import { NoBearerTokenError } from './no-bearer-token-error.js';

/** What a bearer token must satisfy here. */
export interface VerifyBearerOptions {
  /** The RAS issuer: the only `iss` accepted (MCP-AUTH: tokens from other issuers MUST be rejected). */
  issuer: string;
  /** This server's resource identifier: the exact `aud` required (RFC 8707, MCP-AUTH audience validation). */
  resource: string;
  /** The RAS signing keys (cached remote JWKS in production, a local set in tests). */
  keys: KeyResolver;
  algorithms: readonly string[];
  clockToleranceSeconds: number;
  currentDate?: Date;
}

/** The parts of an HTTP request bearer authentication looks at. */
export interface BearerRequest {
  /** The `Authorization` header, if any. */
  authorization: string | undefined;
  /** The query string parameters of the request URL. */
  query: URLSearchParams;
}

// RFC 6750 §2.1: credentials = "Bearer" 1*SP b64token; the scheme is case-insensitive (RFC 9110 §11.1).
const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*)$/i;
const BEARER_SCHEME = /^Bearer(?: |$)/i;

/**
 * Extracts and validates the access token of a request.
 *
 * @throws NoBearerTokenError when the request carries no bearer credentials at all.
 * @throws InvalidRequestError when the token is sent in the query string (MCP-AUTH forbids it; only the header
 *   method is supported, `bearer_methods_supported: ["header"]`).
 * @throws InvalidTokenError when the token is malformed, not signed by the RAS, not an `at+jwt`, for another
 *   audience or issuer, or expired.
 * @throws TemporarilyUnavailableError when the RAS keys cannot be obtained (the token may be fine: not a 401).
 */
export async function verifyBearer(
  request: BearerRequest,
  options: VerifyBearerOptions,
): Promise<AccessTokenPrincipal> {
  // MCP-AUTH "Token Requirements": access tokens MUST NOT be included in the URI query string (RFC 6750 §2.3
  // is not offered), and a request using more than one method is invalid (RFC 6750 §2).
  if (request.query.has('access_token')) {
    throw new InvalidRequestError('Access tokens are accepted only in the Authorization header');
  }
  const header = request.authorization;
  if (header === undefined || !BEARER_SCHEME.test(header.trim())) throw new NoBearerTokenError();
  const token = BEARER.exec(header.trim())?.[1];
  if (token === undefined) throw new InvalidTokenError('The access token is malformed');
  try {
    const { claims } = await verifyAccessToken(token, {
      issuer: options.issuer,
      audience: options.resource,
      keys: options.keys,
      algorithms: options.algorithms,
      clockToleranceSeconds: options.clockToleranceSeconds,
      ...(options.currentDate === undefined ? {} : { currentDate: options.currentDate }),
    });
    return new AccessTokenPrincipal(claims);
  } catch (error) {
    if (!(error instanceof JwtValidationError)) throw error;
    if (error.code === 'ERR_JWKS_UNAVAILABLE') {
      throw new TemporarilyUnavailableError('The authorization server keys are unavailable; retry later');
    }
    throw new InvalidTokenError(describe(error.code));
  }
}

/**
 * RFC 6750 §3: `error_description` is for the developer. It names the failed check in fixed words and never
 * echoes a library message, a claim value or the token.
 */
function describe(code: JwtErrorCode): string {
  switch (code) {
    case 'ERR_JWT_EXPIRED':
      return 'The access token expired';
    case 'ERR_JWT_AUD_MISMATCH':
      return 'The access token was not issued for this resource';
    case 'ERR_JWT_ISSUER_MISMATCH':
    case 'ERR_JWT_ISSUER_UNTRUSTED':
      return 'The access token was not issued by the authorization server of this resource';
    case 'ERR_JWT_TYP_MISMATCH':
      return 'The token is not a JWT access token (typ at+jwt)';
    case 'ERR_JWT_NOT_YET_VALID':
    case 'ERR_JWT_IAT_IN_FUTURE':
      return 'The access token is not valid yet';
    default:
      return 'The access token is invalid';
  }
}
