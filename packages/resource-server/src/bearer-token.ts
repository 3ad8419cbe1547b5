/**
 * RFC 6750 §2.1: the bearer token of a request, taken from its `Authorization` header and from nowhere else.
 */
import { InvalidRequestError, InvalidTokenError } from '@ema/oauth-server';
import { NoBearerTokenError } from './no-bearer-token-error.js';

/** The two parts of an HTTP request bearer authentication looks at; every framework hands both over as strings. */
export interface BearerRequest {
  /** The `Authorization` header (Node's `req.headers.authorization`, or `Headers.get('authorization')`). */
  authorization: string | null | undefined;
  /**
   * The request target with its query (Node's `req.url`, or the absolute URL of a Fetch API `Request`): only its
   * query is read, to refuse tokens sent there.
   */
  url: string;
  /** The request method: what a DPoP proof's `htm` must name (RFC 9449 §4.3). Needed only with DPoP. */
  method?: string;
  /** The `DPoP` request header(s), as received (RFC 9449 §4.1). */
  dpop?: string | readonly string[] | undefined;
}

// RFC 6750 §2.1: credentials = "Bearer" 1*SP b64token, and nothing after it (one scheme, one token); the scheme is
// case-insensitive (RFC 9110 §11.1).
const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*)$/i;
const BEARER_SCHEME = /^Bearer(?: |$)/i;
// RFC 9449 §7.1: the DPoP scheme, with the same token68 syntax.
const DPOP = /^DPoP +([A-Za-z0-9\-._~+/]+=*)$/i;
const DPOP_SCHEME = /^DPoP(?: |$)/i;

/** An access token and the scheme it came with. */
export interface PresentedToken {
  scheme: 'Bearer' | 'DPoP';
  token: string;
}

/**
 * Returns the access token of a request.
 *
 * @throws InvalidRequestError (400) when `access_token` is in the query string, even next to a valid header:
 *   MCP-AUTH "Token Requirements" forbids tokens in the URI (RFC 6750 §2.3 is not offered), and RFC 6750 §2 forbids
 *   more than one method in a request.
 * @throws NoBearerTokenError when there is no `Authorization` header, or one of another scheme (`Basic`, `DPoP`).
 * @throws InvalidTokenError (401) when the `Bearer` credentials are not exactly one b64token.
 */
export function extractBearerToken(request: BearerRequest): string {
  if (queryOf(request.url).has('access_token')) {
    throw new InvalidRequestError('Access tokens are accepted only in the Authorization header');
  }
  const header = request.authorization?.trim();
  if (header === undefined || !BEARER_SCHEME.test(header)) throw new NoBearerTokenError();
  const token = BEARER.exec(header)?.[1];
  if (token === undefined) throw new InvalidTokenError('The access token is malformed');
  return token;
}

/**
 * Returns the access token of a request sent with the `Bearer` or (RFC 9449 §7.1) the `DPoP` scheme, and which.
 *
 * @throws the errors of {@link extractBearerToken}; a malformed `DPoP` credential is `InvalidTokenError` too.
 */
export function extractAccessToken(request: BearerRequest): PresentedToken {
  const header = request.authorization?.trim();
  if (header === undefined || !DPOP_SCHEME.test(header))
    return { scheme: 'Bearer', token: extractBearerToken(request) };
  if (queryOf(request.url).has('access_token')) {
    throw new InvalidRequestError('Access tokens are accepted only in the Authorization header');
  }
  const token = DPOP.exec(header)?.[1];
  if (token === undefined) throw new InvalidTokenError('The access token is malformed');
  return { scheme: 'DPoP', token };
}

function queryOf(url: string): URLSearchParams {
  const start = url.indexOf('?');
  return new URLSearchParams(start === -1 ? '' : url.slice(start + 1));
}
