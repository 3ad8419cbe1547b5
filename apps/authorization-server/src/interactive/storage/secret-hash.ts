import { hash } from 'node:crypto';

/**
 * SHA-256 (base64url) of a high-entropy secret this server issued (a code, a refresh token, a browser secret): what
 * is stored instead of the secret, so a copy of the database redeems nothing.
 */
export function secretHash(secret: string): string {
  return hash('sha256', secret, 'base64url');
}
