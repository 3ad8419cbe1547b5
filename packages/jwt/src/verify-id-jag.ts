import type { IdJagClaims } from '@ema/protocol';
import type { KeyResolver } from './key-resolver.js';
import type { ProtectedHeader, VerifyCommonOptions } from './lib/verify-options.js';

/** An identity provider this RAS explicitly trusts to issue ID-JAGs. */
export interface TrustedIssuer {
  /** Its issuer identifier; the token's `iss` must equal it exactly. */
  issuer: string;
  /** Its signing keys (usually {@link createRemoteJwks} over its `jwks_uri`). */
  keys: KeyResolver;
  /** Narrows the allow-list for this issuer: an `alg` must be on both lists. */
  algorithms?: readonly string[];
}

/** Options of {@link verifyIdJag}. */
export interface VerifyIdJagOptions extends VerifyCommonOptions {
  /** Looks up an explicitly configured issuer by the token's (unverified) `iss`; `undefined` means untrusted. */
  trustedIssuers: (iss: string) => TrustedIssuer | undefined;
  /** Our issuer identifier: `aud` must equal it exactly (a string, or an array of exactly one element). */
  audience: string;
  /** Our own issuer: a token claiming to come from it is never accepted. */
  rejectIssuer?: string;
  /** When set, `client_id` must equal it (the client authenticated at this RAS). */
  clientId?: string;
  /** The longest accepted lifetime, `exp - iat`, in seconds. */
  maxLifetimeSeconds: number;
}

/** A verified ID-JAG. */
export interface VerifiedIdJag {
  claims: IdJagClaims;
  header: ProtectedHeader;
}

/**
 * Verifies an ID-JAG as a RAS must at the jwt-bearer grant (ID-JAG §4.4.1, RFC 7523 §3): header pre-checks, trusted
 * issuer, signature, exact `aud`, `client_id` binding, times and lifetime cap, required claims. Throws
 * {@link JwtValidationError} (and nothing else) on any failure.
 */
export async function verifyIdJag(token: string, options: VerifyIdJagOptions): Promise<VerifiedIdJag> {
  void token;
  void options;
  throw new Error('not implemented yet');
}
