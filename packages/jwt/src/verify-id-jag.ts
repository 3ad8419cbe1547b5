import { IdJagClaims, TYP_ID_JAG } from '@ema/protocol';
import { JwtValidationError } from './errors.js';
import type { KeyResolver } from './key-resolver.js';
import { checkAudienceExact } from './lib/check-audience.js';
import { matchesSchema, requireNonEmptyString, requireNumericDate } from './lib/check-claims.js';
import { checkIssuerAlgorithm, checkProtectedHeader } from './lib/check-header.js';
import { checkIssuedAt, checkLifetime } from './lib/check-times.js';
import { readCompactJwt } from './lib/read-compact-jwt.js';
import { clockOf, type ProtectedHeader, type VerifyCommonOptions } from './lib/verify-options.js';
import { verifySignature } from './lib/verify-signature.js';
import { withCodedErrors } from './lib/with-coded-errors.js';

/** An identity provider this RAS explicitly trusts to issue ID-JAGs. */
export interface TrustedIssuer {
  /** Its issuer identifier; the token's `iss` must equal it exactly. */
  issuer: string;
  /** Its signing keys (usually {@link createRemoteJwks} over its `jwks_uri`). */
  keys: KeyResolver;
  /** Narrows the allow-list for this issuer: an `alg` must be on both lists. */
  algorithms?: readonly string[];
  /**
   * ID-JAG §3.1 / §6.1: for a multi-tenant issuer, the tenants (`tenant` claim values) this server trusts it for; a
   * token from another tenant, or without `tenant`, is refused. Absent: a single-tenant issuer, whose tokens must not
   * carry `tenant` at all (a tenant nobody pinned is never accepted).
   */
  tenants?: readonly string[];
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
export function verifyIdJag(token: string, options: VerifyIdJagOptions): Promise<VerifiedIdJag> {
  return withCodedErrors(async () => {
    const unverified = readCompactJwt(token);
    // ID-JAG §4.4.1 step 2 (RFC 8725 §3.1, §3.11): typ, alg and crit before anything else.
    const alg = checkProtectedHeader(unverified.header, { algorithms: options.algorithms, typ: [TYP_ID_JAG] });
    // Step 3: the unverified `iss` only selects an explicitly configured issuer; it is checked again once the
    // signature is verified.
    const trusted = trustedIssuerOf(unverified.payload, options);
    checkIssuerAlgorithm(alg, trusted.algorithms);
    const { now, tolerance } = clockOf(options);
    // Step 4, then iss exactly and exp and nbf with the tolerance.
    const { header, claims } = await verifySignature(token, unverified, {
      alg,
      keys: trusted.keys,
      issuer: trusted.issuer,
      now,
      tolerance,
    });
    // ID-JAG §3: required claims with the right types; a wrong type is a refusal, never a crash. The optional claims
    // (`nbf`, `scope`, `resource`, ...) are checked by the claim schema below.
    requireNonEmptyString(claims, 'iss');
    requireNonEmptyString(claims, 'sub');
    requireNonEmptyString(claims, 'jti');
    const clientId = requireNonEmptyString(claims, 'client_id');
    const iat = requireNumericDate(claims, 'iat');
    const exp = requireNumericDate(claims, 'exp');
    // Step 5: aud exactly our issuer.
    checkAudienceExact(claims.aud, options.audience);
    // Step 6: client_id is the client authenticated at this RAS.
    if (options.clientId !== undefined && clientId !== options.clientId) {
      throw new JwtValidationError('ERR_JWT_CLIENT_ID_MISMATCH', 'client_id is not the authenticated client', {
        claim: 'client_id',
      });
    }
    // Step 7: iat not in the future; lifetime at most the cap.
    checkIssuedAt(iat, now, tolerance);
    checkLifetime(iat, exp, options.maxLifetimeSeconds);
    matchesSchema(IdJagClaims, claims);
    checkTenant(claims.tenant, trusted);
    return { claims, header };
  });
}

/**
 * ID-JAG §6.1, §6.3: a multi-tenant issuer is trusted per tenant (`iss` + `tenant` identify the tenant, and `sub` is
 * unique only within it), so the tenant must be one this server pinned for the issuer.
 */
function checkTenant(tenant: string | undefined, trusted: TrustedIssuer): void {
  const pinned = trusted.tenants;
  if (pinned === undefined || pinned.length === 0) {
    if (tenant === undefined) return;
    throw new JwtValidationError('ERR_JWT_TENANT_UNTRUSTED', 'tenant sent by an issuer trusted for no tenant', {
      claim: 'tenant',
    });
  }
  if (tenant === undefined || !pinned.includes(tenant)) {
    throw new JwtValidationError('ERR_JWT_TENANT_UNTRUSTED', 'tenant is not one this issuer is trusted for', {
      claim: 'tenant',
    });
  }
}

function trustedIssuerOf(payload: Record<string, unknown>, options: VerifyIdJagOptions): TrustedIssuer {
  const iss = requireNonEmptyString(payload, 'iss');
  // Never accept a token that claims to come from ourselves (docs/protocol.md §5, check 3).
  if (iss === options.rejectIssuer) {
    throw new JwtValidationError('ERR_JWT_ISSUER_UNTRUSTED', 'the token claims to be from this server', {
      claim: 'iss',
    });
  }
  let trusted: TrustedIssuer | undefined;
  try {
    trusted = options.trustedIssuers(iss);
  } catch (cause) {
    throw new JwtValidationError('ERR_JWT_ISSUER_UNTRUSTED', 'the trusted-issuer lookup failed', {
      claim: 'iss',
      cause,
    });
  }
  if (trusted === undefined) {
    throw new JwtValidationError('ERR_JWT_ISSUER_UNTRUSTED', 'iss is not a configured trusted issuer', {
      claim: 'iss',
    });
  }
  return trusted;
}
