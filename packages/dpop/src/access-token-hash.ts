import { createHash } from 'node:crypto';

/**
 * RFC 9449 §4.2: `ath`, the base64url-encoded SHA-256 hash of the ASCII encoding of the access token, which a proof
 * sent to a protected resource carries to bind it to that token.
 */
export function accessTokenHash(accessToken: string): string {
  return createHash('sha256').update(accessToken, 'ascii').digest('base64url');
}
