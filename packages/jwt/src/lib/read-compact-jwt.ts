import { JwtValidationError } from '../errors.js';

/** The decoded, NOT yet verified parts of a compact JWS. */
export interface UnverifiedJwt {
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
}

const BASE64URL = /^[A-Za-z0-9_-]+$/;
const utf8 = new TextDecoder('utf-8', { fatal: true });

function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function decodeSegment(segment: string, what: string): Record<string, unknown> {
  if (!BASE64URL.test(segment)) throw new JwtValidationError('ERR_JWT_MALFORMED', `${what} is not base64url`);
  let value: unknown;
  try {
    value = JSON.parse(utf8.decode(Buffer.from(segment, 'base64url')));
  } catch (cause) {
    throw new JwtValidationError('ERR_JWT_MALFORMED', `${what} is not UTF-8 JSON`, { cause });
  }
  if (!isJsonObject(value)) throw new JwtValidationError('ERR_JWT_MALFORMED', `${what} is not a JSON object`);
  return value;
}

/**
 * Splits and decodes a compact JWS (RFC 7515 §7.1) without verifying it, so the header can be checked BEFORE any key
 * lookup (RFC 8725 §3.1). Anything that is not three base64url segments with JSON-object header and payload is
 * `ERR_JWT_MALFORMED`.
 */
export function readCompactJwt(token: unknown): UnverifiedJwt {
  if (typeof token !== 'string') throw new JwtValidationError('ERR_JWT_MALFORMED', 'the token is not a string');
  const parts = token.split('.');
  if (parts.length !== 3) throw new JwtValidationError('ERR_JWT_MALFORMED', 'the token is not a compact JWS');
  const [header = '', payload = '', signature = ''] = parts;
  // An empty signature is let through here so that `alg: none` is refused for what it is, by the alg check.
  // A length of 1 modulo 4 is no base64url encoding of any bytes (RFC 4648 §5).
  if (signature !== '' && (!BASE64URL.test(signature) || signature.length % 4 === 1))
    throw new JwtValidationError('ERR_JWT_MALFORMED', 'the signature is not base64url');
  return { header: decodeSegment(header, 'the header'), payload: decodeSegment(payload, 'the payload') };
}
