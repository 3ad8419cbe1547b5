import { AccessTokenClaims, TYP_ACCESS_TOKEN, TYP_ACCESS_TOKEN_MEDIA_TYPE } from '@ema/protocol';
import type { KeyResolver } from './key-resolver.js';
import { checkAudienceExact } from './lib/check-audience.js';
import { matchesSchema, optionalNumericDate, requireNonEmptyString, requireNumericDate } from './lib/check-claims.js';
import { checkProtectedHeader } from './lib/check-header.js';
import { checkIssuedAt, checkLifetime } from './lib/check-times.js';
import { readCompactJwt } from './lib/read-compact-jwt.js';
import { clockOf, type ProtectedHeader, type VerifyCommonOptions } from './lib/verify-options.js';
import { verifySignature } from './lib/verify-signature.js';
import { withCodedErrors } from './lib/with-coded-errors.js';

/** Options of {@link verifyAccessToken}. */
export interface VerifyAccessTokenOptions extends VerifyCommonOptions {
  /** The RAS issuer identifier; `iss` must equal it. */
  issuer: string;
  /** This resource server's identifier: `aud` must equal it exactly (string or one-element array). */
  audience: string;
  /** The RAS signing keys. */
  keys: KeyResolver;
  /** When set, the longest accepted lifetime, `exp - iat`, in seconds. */
  maxLifetimeSeconds?: number;
}

/** A verified RFC 9068 access token. */
export interface VerifiedAccessToken {
  claims: AccessTokenClaims;
  header: ProtectedHeader;
}

/**
 * Verifies an RFC 9068 JWT access token as a resource server must (RFC 9068 §4): `typ` `at+jwt`, allow-listed `alg`,
 * signature, `iss`, exact `aud`, times, required claims. Throws {@link JwtValidationError} (and nothing else).
 */
export function verifyAccessToken(token: string, options: VerifyAccessTokenOptions): Promise<VerifiedAccessToken> {
  return withCodedErrors(async () => {
    const unverified = readCompactJwt(token);
    // RFC 9068 §4: typ is at+jwt (or application/at+jwt); RFC 8725 §3.1: alg on the allow-list.
    const alg = checkProtectedHeader(unverified.header, {
      algorithms: options.algorithms,
      typ: [TYP_ACCESS_TOKEN, TYP_ACCESS_TOKEN_MEDIA_TYPE],
    });
    const { now, tolerance } = clockOf(options);
    // RFC 9068 §4: signature with the RAS keys, iss is the RAS, exp (and nbf) with the tolerance.
    const { header, claims } = await verifySignature(token, unverified, {
      alg,
      keys: options.keys,
      issuer: options.issuer,
      now,
      tolerance,
    });
    // RFC 9068 §2.2: required claims with the right types; `nbf`, which the claim schema does not list, a
    // whole-second date when present. The other optional claims (`scope`, ...) are checked by the schema below.
    requireNonEmptyString(claims, 'iss');
    requireNonEmptyString(claims, 'sub');
    requireNonEmptyString(claims, 'client_id');
    requireNonEmptyString(claims, 'jti');
    const iat = requireNumericDate(claims, 'iat');
    const exp = requireNumericDate(claims, 'exp');
    optionalNumericDate(claims, 'nbf');
    // RFC 9068 §4 and MCP-AUTH: aud is exactly this resource server's identifier.
    checkAudienceExact(claims.aud, options.audience);
    checkIssuedAt(iat, now, tolerance);
    if (options.maxLifetimeSeconds !== undefined) checkLifetime(iat, exp, options.maxLifetimeSeconds);
    matchesSchema(AccessTokenClaims, claims);
    return { claims, header };
  });
}
