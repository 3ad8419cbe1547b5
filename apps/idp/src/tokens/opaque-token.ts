import { createHash, randomBytes, randomFillSync } from 'node:crypto';

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

const ID_BYTES = 12;
// CSPRNG bytes drawn 256 ids at a time (one randomFillSync call instead of one per id, which showed in profiles);
// every byte is used for exactly one id, so ids stay as unguessable as before.
const idPool = Buffer.alloc(ID_BYTES * 256);
let idPoolOffset = idPool.length;

/** A short random identifier (session ids, grant ids, token ids for the audit log): 12 random bytes, base64url. */
export function generateId(prefix: string): string {
  if (idPoolOffset === idPool.length) {
    randomFillSync(idPool);
    idPoolOffset = 0;
  }
  const id = idPool.toString('base64url', idPoolOffset, idPoolOffset + ID_BYTES);
  idPoolOffset += ID_BYTES;
  return `${prefix}_${id}`;
}
