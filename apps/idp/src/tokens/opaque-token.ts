import { hash, randomBytes, randomFillSync } from 'node:crypto';

/** A fresh opaque secret (authorization code, refresh token, access token, session): 32 random bytes, base64url. */
export function generateOpaqueToken(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * The storage key of an opaque secret: SHA-256, base64url. The secrets are high-entropy, so a fast hash is
 * enough, and a stolen database holds no usable token.
 */
export function hashOpaqueToken(token: string): string {
  return hash('sha256', token, 'base64url');
}

const ID_BYTES = 12;
// CSPRNG bytes drawn 256 ids at a time (one randomFillSync call instead of one per id, which showed in profiles);
// every byte is used for exactly one id, so ids stay as unguessable as before.
const idPool = Buffer.alloc(ID_BYTES * 256);
let idPoolOffset = idPool.length;

function randomIdPart(): string {
  if (idPoolOffset === idPool.length) {
    randomFillSync(idPool);
    idPoolOffset = 0;
  }
  const part = idPool.toString('base64url', idPoolOffset, idPoolOffset + ID_BYTES);
  idPoolOffset += ID_BYTES;
  return part;
}

/** A short random identifier (session ids, grant ids, token ids for the audit log): 12 random bytes, base64url. */
export function generateId(prefix: string): string {
  return `${prefix}_${randomIdPart()}`;
}

// Base 36 of the epoch milliseconds, padded to a fixed width (9 digits last until the year 5188), so that string
// order (digits sort before letters in ASCII) is time order.
const TIME_DIGITS = 9;

/**
 * An identifier that sorts by creation time, then by 12 random bytes (as unique and unguessable as
 * {@link generateId}): `<prefix>_<milliseconds, base 36><random>`. For identifiers that other systems index, such as
 * the ID-JAG `jti`, which every RAS keeps in its replay index: time-ordered keys land at the end of that index
 * instead of on a random page of it, which makes each insert cheaper (the idea of UUIDv7, RFC 9562 §5.7).
 */
export function generateTimeOrderedId(prefix: string, nowMs: number = Date.now()): string {
  return `${prefix}_${nowMs.toString(36).padStart(TIME_DIGITS, '0')}${randomIdPart()}`;
}
