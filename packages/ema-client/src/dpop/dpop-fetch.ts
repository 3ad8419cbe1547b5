/**
 * A fetch that sends a fresh DPoP proof with every request (RFC 9449 §4: `htm` the method, `htu` the URL without
 * query and fragment, `ath` with an access token, `nonce` when the server handed one out), made by the `dpop`
 * library. When the server asks for a nonce (`use_dpop_nonce`: a `400` body at a token endpoint, §8; a `401` `DPoP`
 * challenge at a resource, §9), the request is sent once more with a new proof carrying it; one retry only.
 */
import { ERROR_USE_DPOP_NONCE, HEADER_DPOP } from '@ema/protocol';
import { generateProof } from 'dpop';
import type { FetchLike } from '../http/observer.js';
import type { DpopKeyPair } from './dpop-keys.js';
import type { DpopNonceMemory } from './dpop-nonce-memory.js';

/** What the proofs of one fetch are made with. */
export interface DpopProofSettings {
  key: DpopKeyPair;
  nonces: DpopNonceMemory;
  /** The access token the requests present (its hash goes into `ath`), at a protected resource. */
  accessToken?: string;
}

/** Wraps `send` as described in the module comment. */
export function dpopFetch(send: FetchLike, settings: DpopProofSettings): FetchLike {
  return async (input, init) => {
    const url = new URL(String(input));
    const htu = `${url.origin}${url.pathname}`;
    const method = init?.method ?? 'GET';
    const attempt = async (nonce: string | undefined): Promise<Response> => {
      const headers = new Headers(init?.headers);
      headers.set(HEADER_DPOP, await generateProof(settings.key, htu, method, nonce, settings.accessToken));
      const response = await send(input, { ...init, headers });
      settings.nonces.noteResponse(url.origin, response);
      return response;
    };
    const sentNonce = settings.nonces.get(url.origin);
    const response = await attempt(sentNonce);
    const nonce = settings.nonces.get(url.origin);
    if (nonce === undefined || nonce === sentNonce || !replayable(init?.body)) return response;
    if (!(await asksForNonce(response))) return response;
    await response.body?.cancel();
    return attempt(nonce);
  };
}

// A body that can be sent a second time as it is (a stream cannot).
function replayable(body: RequestInit['body']): boolean {
  return body === undefined || body === null || typeof body === 'string' || body instanceof URLSearchParams;
}

async function asksForNonce(response: Response): Promise<boolean> {
  if (response.status === 401) {
    // RFC 9449 §9: WWW-Authenticate: DPoP error="use_dpop_nonce".
    const challenge = response.headers.get('www-authenticate') ?? '';
    return /(^|[\s,])DPoP\s[\s\S]*?error\s*=\s*"?use_dpop_nonce"?/i.test(challenge);
  }
  if (response.status !== 400) return false;
  // RFC 9449 §8: a token endpoint's 400 with error use_dpop_nonce.
  try {
    const body: unknown = await response.clone().json();
    return typeof body === 'object' && body !== null && 'error' in body && body.error === ERROR_USE_DPOP_NONCE;
  } catch {
    return false;
  }
}
