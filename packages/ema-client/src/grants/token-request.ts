/**
 * The common part of the two token requests this client makes (RFC 6749 §3.2, §5.1, §5.2): a form POST with client
 * authentication, and an answer checked against the wire schemas of `@ema/protocol`.
 */
import { MEDIA_TYPE_FORM, MEDIA_TYPE_JSON, ReceivedOAuthError, TokenResponse } from '@ema/protocol';
import type { ClientAuthentication } from '../client-authentication.js';
import { type FlowParty, TokenResponseError, UnreachableError } from '../errors.js';
import type { FetchLike } from '../http/observer.js';
import { checkWire } from '../wire/check-wire.js';

/** An RFC 6749 §5.2 error answer. */
export interface TokenErrorAnswer {
  status: number;
  body: ReceivedOAuthError;
}

/** A token endpoint's answer: the success, or the error. */
export type TokenEndpointAnswer = { ok: true; body: TokenResponse } | { ok: false; error: TokenErrorAnswer };

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** POSTs `params` to a token endpoint with client authentication, and reads the JSON answer. */
export async function postTokenRequest(
  party: FlowParty,
  fetchFn: FetchLike,
  tokenEndpoint: string,
  params: URLSearchParams,
  clientAuthentication: ClientAuthentication,
): Promise<TokenEndpointAnswer> {
  const headers = new Headers({ 'content-type': MEDIA_TYPE_FORM, accept: MEDIA_TYPE_JSON });
  clientAuthentication(headers, params);
  // Never follow a redirect: a 307/308 would re-POST the subject token or the ID-JAG elsewhere (RFC 9700 §4.11).
  const response = await fetchFn(tokenEndpoint, { method: 'POST', headers, body: params, redirect: 'manual' });
  const body = parseJson(await response.text());
  if (response.status >= 500) {
    throw new UnreachableError(party, new URL(tokenEndpoint).origin, `HTTP ${response.status}`);
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new TokenResponseError(party, `HTTP ${response.status} without a JSON object`);
  }
  if (response.ok) {
    const success = checkWire(TokenResponse, body);
    if (!success.ok) throw new TokenResponseError(party, success.problem);
    return { ok: true, body: success.value };
  }
  const error = checkWire(ReceivedOAuthError, body);
  if (!error.ok) throw new TokenResponseError(party, `HTTP ${response.status}, error body ${error.problem}`);
  return { ok: false, error: { status: response.status, body: error.value } };
}

/** Reads `expires_in` (RFC 6749 §5.1: recommended, seconds), refusing 0 and negatives. */
export function readExpiresIn(party: FlowParty, expiresIn: number | undefined): number | undefined {
  if (expiresIn === undefined) return undefined;
  if (!Number.isFinite(expiresIn) || expiresIn <= 0) {
    throw new TokenResponseError(party, 'expires_in is not a positive number');
  }
  return expiresIn;
}
