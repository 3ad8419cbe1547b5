import { createRemoteJwks, type TrustedIssuer } from '@ema/jwt';

/** An IdP whose ID-JAGs this server accepts (ID-JAG §4.4.1: explicitly configured, never implied). */
export interface TrustedIdpEntry {
  issuer: string;
  jwksUri: string;
  /** RFC 8725 §3.1: the asymmetric algorithms accepted from this issuer. */
  algorithms: readonly string[];
  /**
   * ID-JAG §6.1: for a multi-tenant issuer, the tenants it is trusted for (an ID-JAG's `tenant` must be one of them);
   * empty or absent for a single-tenant issuer, whose ID-JAGs must carry no `tenant`.
   */
  tenants?: readonly string[] | undefined;
}

/** Where the trusted IdPs are registered (a configuration list, a database table, an admin API). */
export interface TrustedIdpRegistry {
  /** The registered IdP with exactly this issuer identifier, or `undefined`. Called once per redemption. */
  findTrustedIdp(issuer: string): TrustedIdpEntry | undefined;
}

/** Options of {@link createTrustedIssuerLookup}. */
export interface TrustedIssuerLookupOptions {
  /** This server's own issuer: never a trusted ID-JAG issuer (ID-JAG §4.4.1). */
  ownIssuer: string;
  /** How long an issuer's expired JWKS may serve while its refetch fails (`staleIfErrorSeconds` of `@ema/jwt`). */
  staleIfErrorSeconds?: number;
  /** Injected into the JWKS fetcher (tests route it to an in-process IdP). */
  fetch?: typeof fetch;
  /** Clock of the JWKS cache and its refetch cooldown (epoch milliseconds). */
  now?: () => number;
}

/**
 * ID-JAG §4.4.1 steps 3-4: resolves an `iss` to a trusted issuer only when it is explicitly registered. The remote
 * JWKS resolver of each issuer is built once and kept (it caches keys and refetches on an unknown `kid`, rate-limited);
 * it is rebuilt only when the registry changes that issuer's `jwks_uri`, algorithms or tenants. The result is the
 * `trustedIssuers` option of `verifyIdJag` and of {@link createIdJagRedemption}.
 */
export function createTrustedIssuerLookup(
  registry: TrustedIdpRegistry,
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
    const tenants = idp.tenants ?? [];
    const fingerprint = JSON.stringify([idp.jwksUri, idp.algorithms, tenants]);
    const cached = cache.get(iss);
    if (cached?.fingerprint === fingerprint) return cached.trusted;
    const keys = createRemoteJwks(idp.jwksUri, {
      ...(options.staleIfErrorSeconds === undefined ? {} : { staleIfErrorSeconds: options.staleIfErrorSeconds }),
      ...(options.fetch ? { fetch: options.fetch } : {}),
      ...(options.now ? { now: options.now } : {}),
    });
    const trusted: TrustedIssuer = { issuer: idp.issuer, keys, algorithms: idp.algorithms, tenants };
    cache.set(iss, { fingerprint, trusted });
    return trusted;
  };
}
