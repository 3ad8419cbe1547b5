/** The common part of the two token requests this client makes (RFC 6749 §3.2, §5.1, §5.2). */
import { MEDIA_TYPE_FORM, MEDIA_TYPE_JSON } from '@ema/protocol';
import type { ClientAuthentication } from './client-authentication.js';
import { type FlowParty, TokenResponseError, UnreachableError } from './errors.js';
import type { FetchLike } from './recorder.js';

/** An RFC 6749 §5.2 error answer. */
export interface TokenErrorAnswer {
  status: number;
  error: string;
  description: string | undefined;
  body: Record<string, unknown>;
}

/** A token endpoint's answer: the success JSON, or the error. */
export type TokenEndpointAnswer = { ok: true; body: Record<string, unknown> } | { ok: false; error: TokenErrorAnswer };

/** POSTs a form to a token endpoint with client authentication, and reads the JSON answer. */
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
  const text = await response.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  if (response.status >= 500) {
    throw new UnreachableError(party, new URL(tokenEndpoint).origin, `HTTP ${response.status}`);
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new TokenResponseError(party, `HTTP ${response.status} without a JSON object`);
  }
  const json = body as Record<string, unknown>;
  if (response.ok) return { ok: true, body: json };
  return {
    ok: false,
    error: {
      status: response.status,
      error: typeof json.error === 'string' ? json.error : 'invalid_response',
      description: typeof json.error_description === 'string' ? json.error_description : undefined,
      body: json,
    },
  };
}

/** Reads `expires_in` (RFC 6749 §5.1: recommended, seconds). */
export function readExpiresIn(party: FlowParty, body: Record<string, unknown>): number | undefined {
  const value = body.expires_in;
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new TokenResponseError(party, 'expires_in is not a positive number');
  }
  return value;
}

/** Reads an optional string member. */
export function readOptionalString(party: FlowParty, body: Record<string, unknown>, name: string): string | undefined {
  const value = body[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw new TokenResponseError(party, `${name} is not a string`);
  return value;
}
