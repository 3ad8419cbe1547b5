import { formUrlDecode } from '../lib/form-url-decode.js';

/** Client credentials carried in an HTTP Basic `Authorization` header. */
export interface BasicCredentials {
  clientId: string;
  clientSecret: string;
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * True when the `Authorization` header uses the Basic scheme (scheme names are case-insensitive, RFC 9110 §11.1),
 * with or without credentials: a bare `Basic` is an attempt at Basic too, answered with its challenge (RFC 6749 §5.2).
 */
export function isBasicAuthorization(authorization: string): boolean {
  const space = authorization.indexOf(' ');
  return (space === -1 ? authorization : authorization.slice(0, space)).toLowerCase() === 'basic';
}

/**
 * Parses `Authorization: Basic <base64(id:secret)>`, a header {@link isBasicAuthorization} accepted. RFC 6749
 * §2.3.1: the client id and secret are each form-url-encoded before being joined, so they are form-url-decoded here.
 * Returns `undefined` when malformed.
 */
export function parseBasicCredentials(authorization: string): BasicCredentials | undefined {
  const encoded = authorization.slice(6).trim();
  // Empty credentials pass this test, then have no colon.
  if (encoded.length % 4 !== 0 || !BASE64.test(encoded)) return undefined;
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  // No colon, or an empty client id (form-url-decoding never empties a non-empty id).
  if (colon <= 0) return undefined;
  const clientId = formUrlDecode(decoded.slice(0, colon));
  const clientSecret = formUrlDecode(decoded.slice(colon + 1));
  if (clientId === undefined || clientSecret === undefined || clientSecret === '') return undefined;
  return { clientId, clientSecret };
}
