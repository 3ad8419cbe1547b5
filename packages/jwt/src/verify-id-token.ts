import { IdTokenClaims, TYP_ID_TOKEN } from '@ema/protocol';
import { JwtValidationError } from './errors.js';
import type { KeyResolver } from './key-resolver.js';
import { audienceList } from './lib/check-audience.js';
import {
  matchesSchema,
  optionalNumericDate,
  optionalString,
  requireNonEmptyString,
  requireNumericDate,
} from './lib/check-claims.js';
import { checkProtectedHeader } from './lib/check-header.js';
import { checkIssuedAt } from './lib/check-times.js';
import { readCompactJwt } from './lib/read-compact-jwt.js';
import { clockOf, type ProtectedHeader, type VerifyCommonOptions } from './lib/verify-options.js';
import { verifySignature } from './lib/verify-signature.js';
import { withCodedErrors } from './lib/with-coded-errors.js';

/** Options of {@link verifyIdToken}. */
export interface VerifyIdTokenOptions extends VerifyCommonOptions {
  /** The OpenID Provider's issuer identifier; `iss` must equal it. */
  issuer: string;
  /** The OpenID Provider's signing keys. */
  keys: KeyResolver;
  /** The client the ID token was issued to: `aud` must contain it, and `azp` must equal it when present. */
  clientId: string;
  /** When set, the `nonce` claim must equal it. */
  nonce?: string;
  /** When set, `auth_time` is required and must be at most this many seconds ago. */
  maxAgeSeconds?: number;
}

/** A verified OIDC ID token. */
export interface VerifiedIdToken {
  claims: IdTokenClaims;
  header: ProtectedHeader;
}

/**
 * Verifies an OIDC ID token (OIDC Core §3.1.3.7): allow-listed `alg`, signature, `iss`, `aud` contains the client,
 * `azp`, times, `nonce`, `auth_time` against `maxAgeSeconds`. Throws {@link JwtValidationError} (and nothing else).
 */
export function verifyIdToken(token: string, options: VerifyIdTokenOptions): Promise<VerifiedIdToken> {
  return withCodedErrors(async () => {
    const unverified = readCompactJwt(token);
    // OIDC registers no typ for ID tokens: accept `JWT` or none, and so refuse an ID-JAG or an access token
    // presented as an ID token (RFC 8725 §3.11, cross-JWT confusion).
    const alg = checkProtectedHeader(unverified.header, {
      algorithms: options.algorithms,
      typ: [TYP_ID_TOKEN],
      typOptional: true,
    });
    const { now, tolerance } = clockOf(options);
    // OIDC Core §3.1.3.7 steps 2, 6, 7, 9: iss, signature with the pinned alg, exp.
    const { header, claims } = await verifySignature(token, unverified, {
      alg,
      keys: options.keys,
      issuer: options.issuer,
      now,
      tolerance,
    });
    // OIDC Core §2: required claims with the right types; `nbf`, which the claim schema does not list, a whole-second
    // date when present. The other optional claims (`jti`, `email`, ...) are checked by the schema below.
    requireNonEmptyString(claims, 'iss');
    requireNonEmptyString(claims, 'sub');
    const iat = requireNumericDate(claims, 'iat');
    requireNumericDate(claims, 'exp');
    optionalNumericDate(claims, 'nbf');
    checkAudienceAndAzp(claims, options.clientId);
    checkIssuedAt(iat, now, tolerance);
    checkNonce(claims, options.nonce);
    checkAuthTime(claims, options.maxAgeSeconds, now, tolerance);
    matchesSchema(IdTokenClaims, claims);
    return { claims, header };
  });
}

// OIDC Core §3.1.3.7 steps 3-5: aud contains the client; azp is required when there are several audiences and
// must be the client when present.
function checkAudienceAndAzp(claims: Record<string, unknown>, clientId: string): void {
  const audiences = audienceList(claims.aud);
  if (!audiences.includes(clientId)) {
    throw new JwtValidationError('ERR_JWT_AUD_MISMATCH', 'aud does not contain the client', { claim: 'aud' });
  }
  const azp = optionalString(claims, 'azp');
  if ((audiences.length > 1 && azp === undefined) || (azp !== undefined && azp !== clientId)) {
    throw new JwtValidationError('ERR_JWT_AZP_MISMATCH', 'azp is not the client', { claim: 'azp' });
  }
}

// OIDC Core §3.1.3.7 step 11: the nonce sent in the authentication request must come back.
function checkNonce(claims: Record<string, unknown>, expected: string | undefined): void {
  const nonce = optionalString(claims, 'nonce');
  if (expected !== undefined && nonce !== expected) {
    throw new JwtValidationError('ERR_JWT_NONCE_MISMATCH', 'nonce does not match', { claim: 'nonce' });
  }
}

// OIDC Core §3.1.3.7 step 13 (and §3.1.2.1 max_age): auth_time is required and recent enough when max_age was asked.
function checkAuthTime(
  claims: Record<string, unknown>,
  maxAgeSeconds: number | undefined,
  now: number,
  tolerance: number,
): void {
  const authTime = optionalNumericDate(claims, 'auth_time');
  if (maxAgeSeconds === undefined) return;
  if (authTime === undefined) {
    throw new JwtValidationError('ERR_JWT_CLAIM_INVALID', 'auth_time is required with max_age', { claim: 'auth_time' });
  }
  if (authTime + maxAgeSeconds < now - tolerance) {
    throw new JwtValidationError('ERR_JWT_AUTH_TOO_OLD', 'the authentication is too old', { claim: 'auth_time' });
  }
}
