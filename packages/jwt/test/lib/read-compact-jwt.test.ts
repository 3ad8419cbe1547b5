/**
 * The compact-JWS reader on its own: what it refuses, and what its log message and cause say. The validators' tests
 * show the same refusals through the public API (and that they come before any key lookup).
 */
import { describe, expect, it } from 'vitest';
import { JwtValidationError } from '../../src/index.js';
import { readCompactJwt } from '../../src/lib/read-compact-jwt.js';
import { b64json } from '../support/fixtures.js';

const HEADER = b64json({ alg: 'ES256', kid: 'k1' });
const PAYLOAD = b64json({ sub: 'alice' });
const SIGNATURE = 'c2lnbmF0dXJl';

function refusal(token: unknown): JwtValidationError {
  try {
    readCompactJwt(token);
  } catch (error) {
    if (error instanceof JwtValidationError) return error;
    throw error;
  }
  throw new Error(`readCompactJwt accepted ${String(token)}`);
}

describe('readCompactJwt', () => {
  it('[JWT-RFC7519-7.2-DECODE] decodes three base64url segments of JSON objects (the signature may be empty)', () => {
    const expected = { header: { alg: 'ES256', kid: 'k1' }, payload: { sub: 'alice' } };
    expect(readCompactJwt(`${HEADER}.${PAYLOAD}.${SIGNATURE}`)).toEqual(expected);
    expect(readCompactJwt(`${HEADER}.${PAYLOAD}.`)).toEqual(expected);
  });

  it('[JWT-RFC7519-7.2-DECODE] refuses anything but exactly three segments', () => {
    for (const token of [`${HEADER}.${PAYLOAD}`, `${HEADER}.${PAYLOAD}.${SIGNATURE}.${SIGNATURE}`]) {
      const error = refusal(token);
      expect(error.code).toBe('ERR_JWT_MALFORMED');
      expect(error.message).toBe('the token is not a compact JWS');
    }
    expect(refusal(42).message).toBe('the token is not a string');
  });

  it('[JWT-RFC7519-7.2-DECODE] refuses a character outside base64url at either end of any segment, naming the segment', () => {
    const cases: [string, string][] = [
      [`!${HEADER}.${PAYLOAD}.${SIGNATURE}`, 'the header is not base64url'],
      [`${HEADER}!.${PAYLOAD}.${SIGNATURE}`, 'the header is not base64url'],
      [`${HEADER}.!${PAYLOAD}.${SIGNATURE}`, 'the payload is not base64url'],
      [`${HEADER}.${PAYLOAD}!.${SIGNATURE}`, 'the payload is not base64url'],
      [`${HEADER}.${PAYLOAD}.!${SIGNATURE}`, 'the signature is not base64url'],
      [`${HEADER}.${PAYLOAD}.${SIGNATURE}!`, 'the signature is not base64url'],
      [`.${PAYLOAD}.${SIGNATURE}`, 'the header is not base64url'],
    ];
    for (const [token, message] of cases) {
      const error = refusal(token);
      expect(error.code, token).toBe('ERR_JWT_MALFORMED');
      expect(error.message, token).toBe(message);
    }
  });

  it('[JWT-RFC7519-7.2-DECODE] refuses a segment that is not UTF-8 JSON, keeping the decoder error as the cause', () => {
    const notJson = refusal(`${HEADER}.${Buffer.from('{"sub":').toString('base64url')}.${SIGNATURE}`);
    expect(notJson.message).toBe('the payload is not UTF-8 JSON');
    expect(notJson.cause).toBeInstanceOf(SyntaxError);
    const notUtf8 = refusal(`${Buffer.from([0x7b, 0xff, 0x7d]).toString('base64url')}.${PAYLOAD}.${SIGNATURE}`);
    expect(notUtf8.message).toBe('the header is not UTF-8 JSON');
    expect(notUtf8.cause).toBeInstanceOf(TypeError);
  });

  it('[JWT-RFC7519-7.2-DECODE] refuses JSON that is not an object', () => {
    for (const value of [null, [1], 'text', 7]) {
      const error = refusal(`${HEADER}.${b64json(value)}.${SIGNATURE}`);
      expect(error.code).toBe('ERR_JWT_MALFORMED');
      expect(error.message).toBe('the payload is not a JSON object');
    }
  });
});
