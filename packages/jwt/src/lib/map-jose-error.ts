import { errors } from 'jose';
import { JwtValidationError } from '../errors.js';

/**
 * Turns anything thrown while jose verifies a token or resolves its key into a coded {@link JwtValidationError}, so
 * that no jose error, `TypeError` or other surprise ever escapes a validator. Only the errors that `compactVerify`, a
 * local JWK set and a jose-compatible key resolver (such as jose's own remote JWK set) can raise are named here;
 * unknown failures count as a failed signature check: the token was not proven authentic.
 */
export function toJwtValidationError(error: unknown): JwtValidationError {
  if (error instanceof JwtValidationError) return error;
  if (error instanceof errors.JWSSignatureVerificationFailed) {
    return new JwtValidationError('ERR_JWT_SIGNATURE_INVALID', error.message, { cause: error });
  }
  // An `alg` jose does not implement (or will not use with a JWK set): it was allow-listed, but cannot be verified.
  if (error instanceof errors.JOSENotSupported) {
    return new JwtValidationError('ERR_JWT_ALG_NOT_ALLOWED', error.message, { claim: 'alg', cause: error });
  }
  if (error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWKSMultipleMatchingKeys) {
    return new JwtValidationError('ERR_JWKS_NO_MATCHING_KEY', error.message, { claim: 'kid', cause: error });
  }
  if (error instanceof errors.JWKSInvalid || error instanceof errors.JWKSTimeout) {
    return new JwtValidationError('ERR_JWKS_UNAVAILABLE', error.message, { cause: error });
  }
  if (error instanceof errors.JWSInvalid) {
    return new JwtValidationError('ERR_JWT_MALFORMED', error.message, { cause: error });
  }
  return new JwtValidationError('ERR_JWT_SIGNATURE_INVALID', 'the token could not be verified', { cause: error });
}
