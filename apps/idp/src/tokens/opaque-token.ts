import { createHash, randomBytes } from 'node:crypto';

/** A fresh opaque secret (authorization code, refresh token, access token, session): 32 random bytes, base64url. */
export function generateOpaqueToken(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * The storage key of an opaque secret: SHA-256, base64url. The secrets are high-entropy, so a fast hash is
 * enough, and a stolen database holds no usable token.
 */
export function hashOpaqueToken(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}

/** A short random identifier (session ids, grant ids, token ids for the audit log). */
export function generateId(prefix: string): string {
  return `${prefix}_${randomBytes(12).toString('base64url')}`;
}
