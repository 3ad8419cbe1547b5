/**
 * The claim checks on their own: the claim they name and the reason their log message gives (the validators' tests
 * show the codes through the public API).
 */
import { IdJagClaims } from '@ema/protocol';
import { describe, expect, it } from 'vitest';
import { JwtValidationError } from '../../src/index.js';
import {
  matchesSchema,
  optionalNumericDate,
  optionalString,
  requireNonEmptyString,
  requireNumericDate,
} from '../../src/lib/check-claims.js';

function refusal(check: () => unknown): JwtValidationError {
  try {
    check();
  } catch (error) {
    if (error instanceof JwtValidationError) return error;
    throw error;
  }
  throw new Error('the check passed');
}

const NO_CONTROL = (claim: string) => `"${claim}" must be a non-empty string without control characters`;
const VALID = { iss: 'i', sub: 's', aud: 'a', client_id: 'c', jti: 'j', iat: 1, exp: 2 };

describe('claim checks', () => {
  it('[JWT-CODED-ERRORS] name the claim and the reason in the log message', () => {
    const cases: [() => unknown, string, string][] = [
      [() => requireNonEmptyString({ jti: '' }, 'jti'), 'jti', NO_CONTROL('jti')],
      [() => requireNonEmptyString({ sub: 'a\u001f' }, 'sub'), 'sub', NO_CONTROL('sub')],
      [() => optionalString({ nonce: 7 }, 'nonce'), 'nonce', '"nonce" must be a string'],
      [() => requireNumericDate({}, 'exp'), 'exp', '"exp" must be a NumericDate (whole seconds)'],
      [() => optionalNumericDate({ nbf: -1 }, 'nbf'), 'nbf', '"nbf" must be a NumericDate (whole seconds)'],
    ];
    for (const [check, claim, message] of cases) {
      const error = refusal(check);
      expect(error.code).toBe('ERR_JWT_CLAIM_INVALID');
      expect(error.claim).toBe(claim);
      expect(error.message).toBe(message);
    }
  });

  it('[JWT-CODED-ERRORS] name the claim the schema refused and the reason it gives', () => {
    expect(() => matchesSchema(IdJagClaims, VALID)).not.toThrow();
    const error = refusal(() => matchesSchema(IdJagClaims, { ...VALID, email: 42 }));
    expect(error.code).toBe('ERR_JWT_CLAIM_INVALID');
    expect(error.claim).toBe('email');
    expect(error.message).toBe('"email" does not match the claim schema: Expected string');
  });
});
