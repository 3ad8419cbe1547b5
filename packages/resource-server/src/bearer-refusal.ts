/**
 * The answers of a resource server that refuses a request (RFC 6750 §3), as plain values any framework can send:
 * status, headers (with the `WWW-Authenticate: Bearer` challenge) and JSON body.
 */
import { InsufficientScopeError, OAuthError } from '@ema/oauth-server';
import type { OAuthErrorResponse } from '@ema/protocol';
import type { AuthenticationShortfall } from './authentication-requirement.js';
import { formatDpopChallenge } from './dpop/dpop-challenge.js';
import { DpopRefusalError } from './dpop/dpop-refusal-error.js';
import { NoBearerTokenError } from './no-bearer-token-error.js';
import type { ScopeShortfall } from './scope-shortfall.js';
import { formatBearerChallenge } from './www-authenticate.js';

/** A refusal to send as is. */
export interface BearerRefusal {
  status: number;
  /** Response headers, names in lower case; `www-authenticate` among them except on `503` and `500`. */
  headers: Record<string, string>;
  /** The RFC 6749 §5.2 JSON body; `undefined` for the bare `401` (RFC 6750 §3.1: no error information). */
  body: OAuthErrorResponse | undefined;
}

/** What every challenge of a resource names. */
export interface ChallengeParameters {
  /** RFC 9728 §5.1: the metadata URL (`protectedResourceMetadataUrl(resource)`). */
  resourceMetadata: string;
  /** The `scope` parameter: MCP-AUTH, the scopes a client should ask for (on a 401, usually all it supports). */
  scope: string;
  /**
   * RFC 9449 §7.1-7.2: when the resource accepts DPoP, its proof algorithms, and whether bearer tokens are refused
   * (then every challenge is a `DPoP` one; else a `DPoP` challenge follows the `Bearer` one).
   */
  dpop?: { algorithms: readonly string[]; required: boolean };
}

// RFC 6750 §3.1: the error codes of a Bearer challenge, each with its status.
const CHALLENGED_STATUSES = new Set([400, 401, 403]);

/**
 * The answer to an error thrown by `verifyBearerToken` (or any `OAuthError`), or `undefined` for anything else,
 * which the caller rethrows to its own error handling (it is a fault, not a refusal).
 *
 * - `NoBearerTokenError`: `401`, the bare challenge (`resource_metadata`, `scope`; RFC 6750 §3.1: no error code),
 *   empty body.
 * - `InvalidRequestError` (400), `InvalidTokenError` (401), `InsufficientScopeError` (403): the challenge with
 *   `error` and `error_description` too (RFC 6750 §3), and the JSON body.
 * - `DpopRefusalError` (401 `invalid_dpop_proof` or `use_dpop_nonce`, RFC 9449 §7.1, §9): a `DPoP` challenge, and
 *   the `DPoP-Nonce` header with the latter.
 * - Any other `OAuthError`, such as `TemporarilyUnavailableError` (503): its status and body and no challenge, since
 *   the token may be fine and the client must not be told to get another one.
 */
export function bearerRefusal(error: unknown, challenge: ChallengeParameters): BearerRefusal | undefined {
  if (error instanceof NoBearerTokenError) {
    return { status: 401, headers: { 'www-authenticate': challengeHeader(challenge, {}) }, body: undefined };
  }
  if (!(error instanceof OAuthError)) return undefined;
  const headers = Object.fromEntries(Object.entries(error.headers).map(([name, value]) => [name.toLowerCase(), value]));
  if (CHALLENGED_STATUSES.has(error.status)) {
    const reason = {
      error: error.error,
      ...(error.description === undefined ? {} : { errorDescription: error.description }),
    };
    // RFC 9449 §7.1, §9: a refused proof is answered in the DPoP scheme only.
    headers['www-authenticate'] =
      error instanceof DpopRefusalError && challenge.dpop !== undefined
        ? dpopChallenge(challenge, challenge.dpop.algorithms, reason)
        : challengeHeader(challenge, reason);
  }
  return { status: error.status, headers, body: error.toResponseBody() };
}

interface Reason {
  error?: string;
  errorDescription?: string;
}

// RFC 9449 §7.2: a resource accepting both schemes names both (Bearer first, so a bearer-only client reads its own);
// one that requires DPoP names DPoP only.
function challengeHeader(challenge: ChallengeParameters, reason: Reason): string {
  const { dpop } = challenge;
  if (dpop === undefined) return formatBearerChallenge({ ...challenge, ...reason });
  if (dpop.required) return dpopChallenge(challenge, dpop.algorithms, reason);
  const bearer = formatBearerChallenge({
    resourceMetadata: challenge.resourceMetadata,
    scope: challenge.scope,
    ...reason,
  });
  return `${bearer}, ${dpopChallenge(challenge, dpop.algorithms, {})}`;
}

function dpopChallenge(challenge: ChallengeParameters, algorithms: readonly string[], reason: Reason): string {
  return formatDpopChallenge({
    ...reason,
    algs: algorithms.join(' '),
    resourceMetadata: challenge.resourceMetadata,
    scope: challenge.scope,
  });
}

/**
 * MCP-AUTH "Scope challenge handling": the `403 insufficient_scope` answer to a request whose token lacks scopes,
 * with the shortfall's `challengeScope` as the challenge's `scope` and the operations and missing scopes named in
 * `error_description`.
 */
export function insufficientScopeRefusal(shortfall: ScopeShortfall, resourceMetadata: string): BearerRefusal {
  const error = new InsufficientScopeError(
    `${shortfall.operations.join(', ')} requires the scope ${shortfall.missing.join(' ')}`,
  );
  const refusal = bearerRefusal(error, { resourceMetadata, scope: shortfall.challengeScope.join(' ') });
  if (refusal === undefined) throw new TypeError('an OAuthError always has a refusal');
  return refusal;
}

/**
 * RFC 9470 §3: the `401 insufficient_user_authentication` answer to a request whose token's authentication (its
 * `acr` or `auth_time`) does not meet what the operations require, with `acr_values` and `max_age` in the challenge
 * and the body. The client takes them to the authorization server (here: the IdP, through a new sign-in), then comes
 * back with a new token. `scope` names what the client should ask for again (what it holds, plus what it tried).
 */
export function insufficientUserAuthenticationRefusal(
  shortfall: AuthenticationShortfall,
  challenge: ChallengeParameters,
): BearerRefusal {
  const acrValues = shortfall.acrValues?.join(' ');
  const description = `${shortfall.operations.join(', ')} requires ${
    acrValues === undefined ? 'a more recent sign-in' : 'a stronger sign-in'
  }`;
  const header = formatBearerChallenge({
    ...challenge,
    error: 'insufficient_user_authentication',
    errorDescription: description,
    ...(acrValues === undefined ? {} : { acrValues }),
    ...(shortfall.maxAgeSeconds === undefined ? {} : { maxAge: shortfall.maxAgeSeconds }),
  });
  return {
    status: 401,
    headers: { 'www-authenticate': header },
    body: {
      error: 'insufficient_user_authentication',
      error_description: description,
      ...(acrValues === undefined ? {} : { acr_values: acrValues }),
      ...(shortfall.maxAgeSeconds === undefined ? {} : { max_age: shortfall.maxAgeSeconds }),
    },
  };
}
