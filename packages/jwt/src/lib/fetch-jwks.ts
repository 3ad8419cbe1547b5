import { MEDIA_TYPE_JSON, MEDIA_TYPE_JWK_SET } from '@ema/protocol';
import type { JSONWebKeySet, JWK } from 'jose';
import { JwtValidationError } from '../errors.js';

/** Limits of one JWKS fetch. */
export interface FetchJwksLimits {
  timeoutMs: number;
  maxBytes: number;
  fetch: typeof fetch;
}

// JwtValidationError keeps no `cause` property when `cause` is undefined.
function unavailable(message: string, cause?: unknown): JwtValidationError {
  return new JwtValidationError('ERR_JWKS_UNAVAILABLE', message, { cause });
}

// Reads the body as a stream and stops as soon as it passes the cap, so a hostile or broken endpoint cannot make us
// buffer an unbounded response.
async function readBounded(response: Response, maxBytes: number): Promise<Uint8Array> {
  const declared = Number(response.headers.get('content-length') ?? Number.NaN);
  if (Number.isFinite(declared) && declared > maxBytes) throw unavailable('the JWKS response is too large');
  if (response.body === null) throw unavailable('the JWKS response has no body');
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw unavailable('the JWKS response is too large');
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

function isJwk(value: unknown): value is JWK {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    typeof Reflect.get(value, 'kty') === 'string'
  );
}

// RFC 7517 §5: a JSON object whose `keys` member is an array of JWKs.
function toKeySet(bytes: Uint8Array): JSONWebKeySet {
  let document: unknown;
  try {
    document = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (cause) {
    throw unavailable('the JWKS response is not JSON', cause);
  }
  const keys = typeof document === 'object' && document !== null ? Reflect.get(document, 'keys') : undefined;
  if (!Array.isArray(keys) || !keys.every(isJwk)) throw unavailable('the JWKS response is not a JWK set');
  return { keys };
}

/**
 * Fetches a JWKS with a time-out covering the whole exchange (headers and body) and a cap on the body size; a
 * redirect is refused, never followed. Every failure is `ERR_JWKS_UNAVAILABLE`.
 */
export async function fetchJwks(url: URL, limits: FetchJwksLimits): Promise<JSONWebKeySet> {
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(unavailable('the JWKS fetch timed out'));
    }, limits.timeoutMs);
  });
  const exchange = async (): Promise<JSONWebKeySet> => {
    const response = await limits.fetch(url, {
      signal: controller.signal,
      headers: { accept: `${MEDIA_TYPE_JWK_SET}, ${MEDIA_TYPE_JSON}` },
      // Never follow a redirect: the keys come from the configured jwks_uri and nowhere else (a redirect could lead
      // to an attacker's keys, or to an internal address the configuration never named).
      redirect: 'manual',
    });
    // Only a 200 carries the keys: any 3xx (or the `opaqueredirect` of a browser's fetch, status 0) is refused here,
    // whatever its body holds.
    if (response.status !== 200) {
      throw unavailable(`the JWKS endpoint answered ${response.status} (only 200 is accepted; redirects are refused)`);
    }
    return toKeySet(await readBounded(response, limits.maxBytes));
  };
  try {
    return await Promise.race([exchange(), timedOut]);
  } catch (error) {
    throw error instanceof JwtValidationError ? error : unavailable('the JWKS fetch failed', error);
  } finally {
    clearTimeout(timer);
  }
}
