import { randomBytes, type ScryptOptions, scrypt, timingSafeEqual } from 'node:crypto';

const KEY_LENGTH = 32;
const BLOCK_SIZE = 8;
const PARALLELISM = 1;

function deriveKey(password: string, salt: Buffer, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFKC'), salt, KEY_LENGTH, options, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}

function scryptOptions(logN: number, r: number, p: number): ScryptOptions {
  // maxmem must cover 128 * N * r bytes, or Node refuses the parameters.
  return { N: 2 ** logN, r, p, maxmem: 256 * 2 ** logN * r };
}

/**
 * Hashes a password with scrypt (memory-hard, RFC 7914), as `scrypt$<log2 N>$<r>$<p>$<salt>$<key>` (base64url).
 * The parameters are stored with the hash, so a later cost change keeps old hashes verifiable.
 */
export async function hashPassword(password: string, logN: number): Promise<string> {
  const salt = randomBytes(16);
  const key = await deriveKey(password, salt, scryptOptions(logN, BLOCK_SIZE, PARALLELISM));
  return ['scrypt', logN, BLOCK_SIZE, PARALLELISM, salt.toString('base64url'), key.toString('base64url')].join('$');
}

/** Checks a password against a {@link hashPassword} hash in constant time; false for a malformed hash. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, logN, r, p, salt, key] = stored.split('$');
  if (scheme !== 'scrypt' || logN === undefined || r === undefined || p === undefined) return false;
  if (salt === undefined || key === undefined) return false;
  const expected = Buffer.from(key, 'base64url');
  const derived = await deriveKey(
    password,
    Buffer.from(salt, 'base64url'),
    scryptOptions(Number(logN), Number(r), Number(p)),
  );
  return derived.length === expected.length && timingSafeEqual(derived, expected);
}
