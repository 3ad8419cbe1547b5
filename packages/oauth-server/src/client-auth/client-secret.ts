import { hash, randomBytes, timingSafeEqual } from 'node:crypto';

const PREFIX = 'sha256:';

// One-shot `crypto.hash` (Node 20.12+): no Hash object per call, on every token request.
function digest(secret: string): Buffer {
  return hash('sha256', secret, 'buffer');
}

/**
 * Hashes a client secret for storage as `sha256:<base64url>`. Client secrets are high-entropy and
 * server-generated, so a fast hash is sufficient (no password stretching needed) and keeps the token endpoint fast.
 */
export function hashClientSecret(secret: string): string {
  return PREFIX + digest(secret).toString('base64url');
}

/** Compares a presented secret with a stored `sha256:` hash in constant time. A malformed hash never matches. */
export function verifyClientSecret(secret: string, hash: string): boolean {
  if (!hash.startsWith(PREFIX)) return false;
  const expected = Buffer.from(hash.slice(PREFIX.length), 'base64url');
  const actual = digest(secret);
  // timingSafeEqual requires equal lengths; a SHA-256 digest is always 32 bytes, so only a corrupt hash differs.
  if (expected.length !== actual.length) return false;
  return timingSafeEqual(expected, actual);
}

/** Generates a new client secret: 32 random bytes, base64url (256 bits of entropy). */
export function generateClientSecret(): string {
  return randomBytes(32).toString('base64url');
}
