import { errors } from 'jose';
import { type JwtErrorCode, JwtValidationError } from '../errors.js';

function claimFailure(error: errors.JWTClaimValidationFailed): JwtValidationError {
  const claim = error.claim;
  if (error.reason !== 'check_failed') {
    return new JwtValidationError('ERR_JWT_CLAIM_INVALID', error.message, { claim, cause: error });
  }
  const byClaim: Record<string, JwtErrorCode> = {
    iss: 'ERR_JWT_ISSUER_MISMATCH',
    aud: 'ERR_JWT_AUD_MISMATCH',
    nbf: 'ERR_JWT_NOT_YET_VALID',
    iat: 'ERR_JWT_IAT_IN_FUTURE',
    typ: 'ERR_JWT_TYP_MISMATCH',
  };
  return new JwtValidationError(byClaim[claim] ?? 'ERR_JWT_CLAIM_INVALID', error.message, { claim, cause: error });
}

/**
 * Turns anything thrown while jose verifies a token into a coded {@link JwtValidationError}, so that no jose error,
 * `TypeError` or other surprise ever escapes a validator. Unknown failures count as a failed signature check: the
 * token was not proven authentic.
 */
export function toJwtValidationError(error: unknown): JwtValidationError {
  if (error instanceof JwtValidationError) return error;
  // JWTExpired extends JWTClaimValidationFailed, so it is tested first.
  if (error instanceof errors.JWTExpired) {
    return new JwtValidationError('ERR_JWT_EXPIRED', error.message, { claim: 'exp', cause: error });
  }
  if (error instanceof errors.JWTClaimValidationFailed) return claimFailure(error);
  if (error instanceof errors.JWSSignatureVerificationFailed) {
    return new JwtValidationError('ERR_JWT_SIGNATURE_INVALID', error.message, { cause: error });
  }
  if (error instanceof errors.JOSEAlgNotAllowed) {
    return new JwtValidationError('ERR_JWT_ALG_NOT_ALLOWED', error.message, { claim: 'alg', cause: error });
  }
  if (error instanceof errors.JOSENotSupported) {
    // RFC 7515 §4.1.11: an extension listed in `crit` that we do not understand.
    const code = /Extension Header Parameter/.test(error.message)
      ? 'ERR_JWT_CRIT_UNSUPPORTED'
      : 'ERR_JWT_ALG_NOT_ALLOWED';
    return new JwtValidationError(code, error.message, { cause: error });
  }
  if (error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWKSMultipleMatchingKeys) {
    return new JwtValidationError('ERR_JWKS_NO_MATCHING_KEY', error.message, { claim: 'kid', cause: error });
  }
  if (
    error instanceof errors.JWKSInvalid ||
    error instanceof errors.JWKSTimeout ||
    error instanceof errors.JWKInvalid
  ) {
    return new JwtValidationError('ERR_JWKS_UNAVAILABLE', error.message, { cause: error });
  }
  if (error instanceof errors.JWSInvalid || error instanceof errors.JWTInvalid) {
    return new JwtValidationError('ERR_JWT_MALFORMED', error.message, { cause: error });
  }
  return new JwtValidationError('ERR_JWT_SIGNATURE_INVALID', 'the token could not be verified', { cause: error });
}
