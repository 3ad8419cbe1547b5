import { describe, expect, it } from 'vitest';
import { JwtValidationError } from '../src/index.js';

describe('JwtValidationError', () => {
  it('carries a stable code, the failing claim and the cause', () => {
    const cause = new Error('inner');
    const error = new JwtValidationError('ERR_JWT_CLAIM_INVALID', 'jti must be a string', { claim: 'jti', cause });
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('JwtValidationError');
    expect(error.code).toBe('ERR_JWT_CLAIM_INVALID');
    expect(error.claim).toBe('jti');
    expect(error.cause).toBe(cause);
  });

  it('defaults the message to the code and leaves claim and cause unset', () => {
    const error = new JwtValidationError('ERR_JWT_EXPIRED');
    expect(error.message).toBe('ERR_JWT_EXPIRED');
    expect(error.claim).toBeUndefined();
    // Not even an own `cause: undefined`, which loggers and util.inspect would print as a cause.
    expect(Object.hasOwn(error, 'cause')).toBe(false);
    expect(Object.hasOwn(error, 'claim')).toBe(false);
  });
});
