import { createRemoteJwks, type TrustedIssuer } from '@ema/jwt';
import type { RegistryStorage } from '../storage/registry.js';

/** Options of {@link createTrustedIssuerLookup}. */
export interface TrustedIssuerLookupOptions {
  /** This RAS's own issuer: never a trusted ID-JAG issuer (ID-JAG §4.4.1). */
  ownIssuer: string;
  /** How long an issuer's expired JWKS may serve while its refetch fails (`staleIfErrorSeconds` of `@ema/jwt`). */
  staleIfErrorSeconds?: number;
  /** Injected into the JWKS fetcher (tests route it to an in-process IdP). */
  fetch?: typeof fetch;
  /** Clock of the JWKS cache and its refetch cooldown (epoch milliseconds). */
  now?: () => number;
}

/**
 * ID-JAG §4.4.1 step 3-4: resolves an `iss` to a trusted issuer only when it is explicitly registered. The remote
 * JWKS resolver of each issuer is built once and kept (it caches keys and refetches on an unknown `kid`, rate-limited);
 * it is rebuilt only when the registry changes that issuer's `jwks_uri` or algorithms.
 */
export function createTrustedIssuerLookup(
  registry: RegistryStorage,
  options: TrustedIssuerLookupOptions,
): (iss: string) => TrustedIssuer | undefined {
  const cache = new Map<string, { fingerprint: string; trusted: TrustedIssuer }>();
  return (iss) => {
    if (iss === options.ownIssuer) return undefined;
    const idp = registry.findTrustedIdp(iss);
    if (!idp) {
      cache.delete(iss);
      return undefined;
    }
    const fingerprint = `${idp.jwksUri} ${idp.algorithms.join(' ')}`;
    const cached = cache.get(iss);
    if (cached?.fingerprint === fingerprint) return cached.trusted;
    const keys = createRemoteJwks(idp.jwksUri, {
      ...(options.staleIfErrorSeconds === undefined ? {} : { staleIfErrorSeconds: options.staleIfErrorSeconds }),
      ...(options.fetch ? { fetch: options.fetch } : {}),
      ...(options.now ? { now: options.now } : {}),
    });
    const trusted: TrustedIssuer = { issuer: idp.issuer, keys, algorithms: idp.algorithms };
    cache.set(iss, { fingerprint, trusted });
    return trusted;
  };
}
