/**
 * The redirect that answers an authorization request (RFC 6749 §4.1.2 and §4.1.2.1): `code` or `error`, always
 * with `state` and `iss` (RFC 9207 §2: in success and error responses alike, so a client talking to several
 * authorization servers can tell which one answered and mix-up attacks fail).
 */

import { toErrorDescriptionCharset } from '../errors/error-description.js';

/** A successful authorization response. */
export interface AuthorizationSuccess {
  code: string;
}

/** An authorization error response (RFC 6749 §4.1.2.1). */
export interface AuthorizationErrorResult {
  error: string;
  description?: string;
}

/** The URL the browser is redirected to: the redirect URI with the response parameters added to its query. */
export function authorizationResponseUrl(
  redirectUri: string,
  issuer: string,
  state: string | undefined,
  result: AuthorizationSuccess | AuthorizationErrorResult,
): string {
  const url = new URL(redirectUri);
  if ('code' in result) url.searchParams.append('code', result.code);
  else {
    url.searchParams.append('error', result.error);
    // RFC 6749 §4.1.2.1: the same restricted charset as §5.2; a description may quote client input.
    if (result.description !== undefined) {
      url.searchParams.append('error_description', toErrorDescriptionCharset(result.description));
    }
  }
  if (state !== undefined) url.searchParams.append('state', state);
  url.searchParams.append('iss', issuer);
  return url.href;
}
