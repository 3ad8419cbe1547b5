import { JwtValidationError } from '../errors.js';

/**
 * `iat` must not be in the future beyond the tolerance (ID-JAG §4.4.1 step 7; RFC 7519 §4.1.6). `exp` and `nbf` are
 * checked with the signature (`verifySignature`).
 */
export function checkIssuedAt(iat: number, now: number, tolerance: number): void {
  if (iat > now + tolerance) {
    throw new JwtValidationError('ERR_JWT_IAT_IN_FUTURE', 'iat is in the future', { claim: 'iat' });
  }
}

/** The profile's lifetime cap: `exp - iat` at most `maxLifetimeSeconds` (the RAS refuses ID-JAGs over 15 min). */
export function checkLifetime(iat: number, exp: number, maxLifetimeSeconds: number): void {
  if (exp - iat > maxLifetimeSeconds) {
    throw new JwtValidationError('ERR_JWT_LIFETIME_EXCEEDED', 'exp - iat exceeds the lifetime cap', { claim: 'exp' });
  }
}

/**
 * A freshness window on `iat`, for tokens that carry no `exp` (a Security Event Token, SSF 1.0 §4.1): issued at most
 * `maxAgeSeconds` ago, beyond the tolerance. This bounds how long a receiver must remember a `jti` to refuse replays.
 */
export function checkNotTooOld(iat: number, now: number, maxAgeSeconds: number, tolerance: number): void {
  if (iat < now - maxAgeSeconds - tolerance) {
    throw new JwtValidationError('ERR_JWT_TOO_OLD', 'iat is older than the accepted window', { claim: 'iat' });
  }
}
