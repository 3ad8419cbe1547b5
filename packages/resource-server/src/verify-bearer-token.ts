/**
 * Bearer token validation at a resource server, framework-neutral: the request's `Authorization` header and URL in,
 * the verified access token out, or an error that `bearerRefusal` turns into the RFC 6750 §3 answer.
 */
import { type JwtErrorCode, JwtValidationError, type KeyResolver, verifyAccessToken } from '@ema/jwt';
import { InvalidTokenError, TemporarilyUnavailableError } from '@ema/oauth-server';
import { REVOKED_ACCESS_TOKEN_DESCRIPTION } from '@ema/protocol';
import { AccessTokenPrincipal } from './access-token-principal.js';
import { type BearerRequest, extractAccessToken, extractBearerToken, type PresentedToken } from './bearer-token.js';
import { checkResourceProof } from './dpop/check-resource-proof.js';
import type { ResourceDpopOptions } from './dpop/resource-dpop-options.js';
import type { RevocationList } from './revocation-list.js';
import type { VerifiedToken, VerifiedTokenCache } from './verified-token-cache.js';

/** What a bearer token must satisfy here. */
export interface VerifyBearerTokenOptions {
  /** The authorization server's issuer: the only `iss` accepted (MCP-AUTH: tokens of other issuers MUST be refused). */
  issuer: string;
  /** This server's resource identifier: the exact `aud` required (RFC 8707, MCP-AUTH audience validation). */
  resource: string;
  /** The authorization server's signing keys (`createRemoteJwks(jwksUri)` of `@ema/jwt`, or a local set in tests). */
  keys: KeyResolver;
  /** The `alg` allow-list (RFC 8725 §3.1), for example `DEFAULT_ALGORITHMS` of `@ema/protocol`. */
  algorithms: readonly string[];
  /** Leeway on `exp`, `nbf` and `iat`; default 30 s. */
  clockToleranceSeconds?: number;
  /** The clock (default: the system clock). */
  now?: () => Date;
  /**
   * The revocations the authorization server pushed (`RevocationList`): a token that verifies but is revoked is
   * refused as `invalid_token` with the description {@link REVOKED_ACCESS_TOKEN_DESCRIPTION}. Checked in memory.
   */
  revocations?: Pick<RevocationList, 'check'>;
  /**
   * Tokens that verified a moment ago ({@link VerifiedTokenCache}): a hit skips the signature and claim checks, never
   * `exp` nor the revocation list. Default: none, every request verifies.
   */
  cache?: VerifiedTokenCache;
  /**
   * RFC 9449 §7: accept DPoP-bound tokens with the `DPoP` scheme and a proof (and, with `required`, nothing else).
   * Without it, only bearer tokens are accepted and a `DPoP` credential counts as none.
   */
  dpop?: ResourceDpopOptions;
}

const DEFAULT_CLOCK_TOLERANCE_SECONDS = 30;

/**
 * Extracts and validates the access token of a request: RFC 9068 §4 through `verifyAccessToken` of `@ema/jwt`
 * (`typ` `at+jwt`, `alg` on the allow-list, signature with the authorization server's keys, `iss`, exact `aud`,
 * `exp`/`nbf`/`iat`, required claims).
 *
 * @throws InvalidRequestError, NoBearerTokenError or InvalidTokenError from {@link extractBearerToken}.
 * @throws InvalidTokenError when the token is not signed by the authorization server, not an `at+jwt`, for another
 *   audience or issuer, expired or not yet valid, or lacks a required claim.
 * @throws InvalidTokenError ("The access token was revoked") when `revocations` lists it.
 * @throws TemporarilyUnavailableError when the keys cannot be obtained (the token may be fine: not a 401).
 */
export async function verifyBearerToken(
  request: BearerRequest,
  options: VerifyBearerTokenOptions,
): Promise<AccessTokenPrincipal> {
  const presented: PresentedToken =
    options.dpop === undefined ? { scheme: 'Bearer', token: extractBearerToken(request) } : extractAccessToken(request);
  const { token } = presented;
  const nowMs = options.now === undefined ? Date.now() : options.now().getTime();
  const tolerance = options.clockToleranceSeconds ?? DEFAULT_CLOCK_TOLERANCE_SECONDS;
  // A cached token skips the signature and claim checks, never `exp`, the revocation list or its DPoP proof.
  let principal: AccessTokenPrincipal;
  const cached = options.cache?.get(token, nowMs, tolerance);
  if (cached !== undefined) principal = unlessRevoked(cached, options);
  else {
    try {
      const { claims } = await verifyAccessToken(token, {
        issuer: options.issuer,
        audience: options.resource,
        keys: options.keys,
        algorithms: options.algorithms,
        ...(options.clockToleranceSeconds === undefined
          ? {}
          : { clockToleranceSeconds: options.clockToleranceSeconds }),
        currentDate: new Date(nowMs),
      });
      const verified = { claims, principal: new AccessTokenPrincipal(claims) };
      options.cache?.set(token, verified, nowMs);
      principal = unlessRevoked(verified, options);
    } catch (error) {
      if (!(error instanceof JwtValidationError)) throw error;
      if (error.code === 'ERR_JWKS_UNAVAILABLE') {
        throw new TemporarilyUnavailableError('The authorization server keys are unavailable; retry later', {
          cause: error,
        });
      }
      throw new InvalidTokenError(describe(error.code), { cause: error });
    }
  }
  if (options.dpop !== undefined) await checkPossession(request, presented, principal, options.resource, options.dpop);
  else if (principal.jkt !== undefined) {
    // RFC 9449 §7.2: a DPoP-bound token is never accepted as a bearer token, even where DPoP is not configured.
    throw new InvalidTokenError('A DPoP-bound access token must be sent with the DPoP scheme');
  }
  return principal;
}

/**
 * RFC 9449 §7: which scheme a token may come with, and for a DPoP-bound one the proof. A lifted DPoP-bound token
 * is refused as a bearer token (§7.2) and, with the `DPoP` scheme, by its proof (no key, no proof).
 */
async function checkPossession(
  request: BearerRequest,
  presented: PresentedToken,
  principal: AccessTokenPrincipal,
  resource: string,
  dpop: ResourceDpopOptions,
): Promise<void> {
  const jkt = principal.jkt;
  if (presented.scheme === 'Bearer') {
    // RFC 9449 §7.2: a DPoP-bound token is never accepted as a bearer token.
    if (jkt !== undefined) throw new InvalidTokenError('A DPoP-bound access token must be sent with the DPoP scheme');
    // RFC 9728 §2 dpop_bound_access_tokens_required.
    if (dpop.required === true) throw new InvalidTokenError('This resource accepts DPoP-bound access tokens only');
    return;
  }
  // RFC 9449 §7.1: the DPoP scheme carries a DPoP-bound token.
  if (jkt === undefined) throw new InvalidTokenError('The access token is not DPoP-bound');
  if (request.method === undefined) throw new TypeError('the request method is needed to check a DPoP proof');
  // The htu is this resource's published URI for the request path, never one built from the Host header.
  const path = new URL(request.url, resource).pathname;
  await checkResourceProof(
    {
      dpop: request.dpop,
      method: request.method,
      htu: new URL(path, resource).href,
      accessToken: presented.token,
      jkt,
    },
    dpop,
  );
}

/** The principal, unless the revocation list covers its token (checked on every request, cached or not). */
function unlessRevoked({ claims, principal }: VerifiedToken, options: VerifyBearerTokenOptions): AccessTokenPrincipal {
  if (options.revocations?.check(claims) !== undefined) {
    // Not an expiry: the client is told the token was revoked, so it can say so and stop (no retry loop).
    throw new InvalidTokenError(REVOKED_ACCESS_TOKEN_DESCRIPTION);
  }
  return principal;
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
