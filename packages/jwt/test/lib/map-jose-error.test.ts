import { errors } from 'jose';
import { describe, expect, it } from 'vitest';
import { JwtValidationError } from '../../src/errors.js';
import { toJwtValidationError } from '../../src/lib/map-jose-error.js';

describe('toJwtValidationError', () => {
  it('[JWT-CODED-ERRORS] maps each jose error to its code and keeps it as the cause', () => {
    const cases: [Error, string][] = [
      [new errors.JWSSignatureVerificationFailed(), 'ERR_JWT_SIGNATURE_INVALID'],
      [new errors.JOSENotSupported('no'), 'ERR_JWT_ALG_NOT_ALLOWED'],
      [new errors.JWKSNoMatchingKey(), 'ERR_JWKS_NO_MATCHING_KEY'],
      [new errors.JWKSMultipleMatchingKeys(), 'ERR_JWKS_NO_MATCHING_KEY'],
      [new errors.JWKSInvalid('bad'), 'ERR_JWKS_UNAVAILABLE'],
      [new errors.JWKSTimeout(), 'ERR_JWKS_UNAVAILABLE'],
      [new errors.JWSInvalid('bad'), 'ERR_JWT_MALFORMED'],
    ];
    for (const [error, code] of cases) {
      const mapped = toJwtValidationError(error);
      expect(mapped.code, error.name).toBe(code);
      expect(mapped.cause).toBe(error);
      expect(mapped.message).toBe(error.message);
    }
  });

  it('[JWT-CODED-ERRORS] counts anything else as a signature not proven, keeping the cause', () => {
    const surprise = new TypeError('Invalid key for this operation');
    const mapped = toJwtValidationError(surprise);
    expect(mapped).toMatchObject({ code: 'ERR_JWT_SIGNATURE_INVALID', message: 'the token could not be verified' });
    expect(mapped.cause).toBe(surprise);
  });

  it('[JWT-CODED-ERRORS] passes a coded error through as it is', () => {
    const coded = new JwtValidationError('ERR_JWT_EXPIRED', 'expired');
    expect(toJwtValidationError(coded)).toBe(coded);
  });
});
