import { createLocalJWKSet, errors, type LocalJWKSet } from 'jose';
import { JwtValidationError } from './errors.js';
import type { KeyResolver } from './key-resolver.js';
import { fetchJwks } from './lib/fetch-jwks.js';
import { toJwtValidationError } from './lib/map-jose-error.js';

/** Options of {@link createRemoteJwks}. */
export interface RemoteJwksOptions {
  /** Minimum time between two fetches, e.g. refetches triggered by an unknown `kid` (seconds, default 30). */
  cooldownSeconds?: number;
  /** How long a fetched key set is used before it is refetched (seconds, default 600). */
  cacheMaxAgeSeconds?: number;
  /**
   * How long an expired key set may still serve while its refetch fails (seconds after it expired, default 3600):
   * the `stale-if-error` of RFC 5861 §4. Past it, lookups fail with `ERR_JWKS_UNAVAILABLE` until a fetch succeeds.
   * `0` serves no expired key set.
   */
  staleIfErrorSeconds?: number;
  /** Time-out of one fetch, headers and body (milliseconds, default 5000). */
  timeoutMs?: number;
  /** Largest accepted response body (bytes, default 65536). */
  maxBytes?: number;
  /** The fetch implementation (default: the global `fetch`). */
  fetch?: typeof fetch;
  /** The clock in epoch milliseconds (default `Date.now`), for tests. */
  now?: () => number;
}

/** A {@link KeyResolver} over a remote JWKS, with a way to force a refetch. */
export type RemoteJwks = KeyResolver & { reload(): Promise<void> };

interface Cache {
  keys: LocalJWKSet;
  fetchedAt: number;
}

/**
 * A cached key resolver over a trusted issuer's `jwks_uri` (docs/protocol.md §5, check 4). Makes no network call while
 * the `kid` is cached and the set is younger than `cacheMaxAgeSeconds`; refetches on an unknown `kid` at most once
 * per `cooldownSeconds`; bounds each fetch in time and size; coalesces concurrent fetches into one. When a refetch of
 * an expired set fails, the previous keys keep serving for at most `staleIfErrorSeconds` (a short IdP outage must not
 * reject tokens signed by known keys, but a key the issuer may have withdrawn must not be trusted forever).
 * Failures raise `ERR_JWKS_UNAVAILABLE`, unknown keys `ERR_JWKS_NO_MATCHING_KEY`.
 *
 * @throws RangeError when `staleIfErrorSeconds` is not a finite, non-negative number.
 */
export function createRemoteJwks(url: URL | string, options: RemoteJwksOptions = {}): RemoteJwks {
  const target = new URL(url);
  const cooldownMs = (options.cooldownSeconds ?? 30) * 1000;
  const maxAgeMs = (options.cacheMaxAgeSeconds ?? 600) * 1000;
  const staleIfError = options.staleIfErrorSeconds ?? 3600;
  if (!Number.isFinite(staleIfError) || staleIfError < 0) {
    throw new RangeError('staleIfErrorSeconds must be a finite, non-negative number of seconds');
  }
  // The age past which a key set is no longer served, whatever happens to its refetch.
  const unusableAfterMs = maxAgeMs + staleIfError * 1000;
  const limits = {
    timeoutMs: options.timeoutMs ?? 5000,
    maxBytes: options.maxBytes ?? 65536,
    fetch: options.fetch ?? globalThis.fetch,
  };
  const now = options.now ?? Date.now;
  let cache: Cache | undefined;
  let lastAttemptAt: number | undefined;
  let inFlight: Promise<void> | undefined;

  const load = (): Promise<void> => {
    if (inFlight !== undefined) return inFlight;
    lastAttemptAt = now();
    // fetchJwks fails only with ERR_JWKS_UNAVAILABLE, and hands over a set of plain JSON objects with a `kty` each,
    // which createLocalJWKSet accepts as is (it checks no more than that).
    inFlight = fetchJwks(target, limits)
      .then((jwks) => {
        cache = { keys: createLocalJWKSet(jwks), fetchedAt: now() };
      })
      .finally(() => {
        inFlight = undefined;
      });
    return inFlight;
  };

  const coolingDown = (): boolean => lastAttemptAt !== undefined && now() - lastAttemptAt < cooldownMs;

  const current = async (): Promise<LocalJWKSet> => {
    if (cache === undefined) {
      if (inFlight === undefined && coolingDown()) {
        throw new JwtValidationError('ERR_JWKS_UNAVAILABLE', 'the JWKS is unavailable (cooling down)');
      }
      await load();
    } else if (now() - cache.fetchedAt > maxAgeMs && (inFlight !== undefined || !coolingDown())) {
      await load().catch(() => undefined);
    }
    if (cache === undefined) throw new JwtValidationError('ERR_JWKS_UNAVAILABLE', 'the JWKS is unavailable');
    if (now() - cache.fetchedAt > unusableAfterMs) {
      throw new JwtValidationError('ERR_JWKS_UNAVAILABLE', 'the JWKS is unavailable (the cached set is too stale)');
    }
    return cache.keys;
  };

  const resolver: KeyResolver = async (header, token) => {
    const keys = await current();
    try {
      return await keys(header, token);
    } catch (error) {
      const refetchAllowed = inFlight !== undefined || !coolingDown();
      if (!(error instanceof errors.JWKSNoMatchingKey) || !refetchAllowed) throw toJwtValidationError(error);
    }
    // Unknown kid: the issuer may have rotated its keys. Refetch (or join the fetch already running; rate-limited
    // above) and look again.
    await load();
    try {
      return await (cache?.keys ?? keys)(header, token);
    } catch (error) {
      throw toJwtValidationError(error);
    }
  };

  return Object.assign(resolver, { reload: load });
}
