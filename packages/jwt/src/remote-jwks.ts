import type { KeyResolver } from './key-resolver.js';

/** Options of {@link createRemoteJwks}. */
export interface RemoteJwksOptions {
  /** Minimum time between two refetches triggered by an unknown `kid` (seconds, default 30). */
  cooldownSeconds?: number;
  /** How long a fetched key set is used before it is refetched (seconds, default 600). */
  cacheMaxAgeSeconds?: number;
  /** Time-out of one fetch (milliseconds, default 5000). */
  timeoutMs?: number;
  /** Largest accepted response body (bytes, default 65536). */
  maxBytes?: number;
  /** The fetch implementation (default: the global `fetch`). */
  fetch?: typeof fetch;
}

/** A {@link KeyResolver} over a remote JWKS, with a way to force a refetch. */
export type RemoteJwks = KeyResolver & { reload(): Promise<void> };

/**
 * A cached key resolver over a trusted issuer's `jwks_uri`. Refetches on an unknown `kid` at most once per cooldown,
 * bounds each fetch in time and size, coalesces concurrent fetches, and makes no network call when the `kid` is
 * cached. Fetch failures raise `ERR_JWKS_UNAVAILABLE`.
 */
export function createRemoteJwks(url: URL | string, options: RemoteJwksOptions = {}): RemoteJwks {
  void url;
  void options;
  const resolver = async () => {
    throw new Error('not implemented yet');
  };
  return Object.assign(resolver, { reload: async () => {} });
}
