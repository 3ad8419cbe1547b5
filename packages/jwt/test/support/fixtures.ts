/**
 * Test fixtures: signing keys generated per run, a raw signer that can produce any header and payload (including
 * malformed claims jose's SignJWT would refuse to build), and assertions on coded errors.
 */
import { CompactSign, type CryptoKey, exportJWK, exportSPKI, generateKeyPair, type JWK } from 'jose';
import { expect } from 'vitest';
import { type JwtErrorCode, JwtValidationError, type KeyResolver, localJwks, type Signer } from '../../src/index.js';

/** The frozen "now" of every test: 2030-01-01T00:00:00Z. */
export const NOW = new Date('2030-01-01T00:00:00Z');
export const NOW_S = Math.floor(NOW.getTime() / 1000);

export interface TestKey {
  signer: Signer;
  privateKey: CryptoKey;
  publicJwk: JWK;
  publicKey: CryptoKey;
  /** The public key as PEM bytes: the "secret" of an algorithm-confusion attack. */
  publicPem: Uint8Array;
}

/** A fresh ES256 key pair with the given `kid`. */
export async function makeKey(kid: string): Promise<TestKey> {
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' };
  const publicPem = new TextEncoder().encode(await exportSPKI(publicKey));
  return { signer: { kid, alg: 'ES256', privateKey }, privateKey, publicJwk, publicKey, publicPem };
}

/** A key resolver over the public halves of the given keys. */
export function resolverFor(...keys: TestKey[]): KeyResolver {
  return localJwks({ keys: keys.map((key) => key.publicJwk) });
}

const encoder = new TextEncoder();

/** base64url of the JSON of `value`. */
export function b64json(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

/** Signs any header and payload as given, with no claim validation (for refusal fixtures). */
export async function signRaw(
  header: Record<string, unknown>,
  payload: unknown,
  key: CryptoKey | Uint8Array,
): Promise<string> {
  const crit = Array.isArray(header.crit) ? Object.fromEntries(header.crit.map((name) => [String(name), true])) : {};
  return new CompactSign(encoder.encode(JSON.stringify(payload)))
    .setProtectedHeader({ alg: 'ES256', ...header } as { alg: string })
    .sign(key, { crit });
}

/**
 * Signs `header.payload` exactly as given, with ES256 (IEEE P1363 signature, as JWS uses): for tokens whose segments
 * are not what a JWS library would produce, so that only the validator's own decoding can refuse them.
 */
export async function signSegments(header: string, payload: string, key: CryptoKey): Promise<string> {
  const signature = await crypto.subtle.sign(
    { name: 'ECDSA', hash: 'SHA-256' },
    key,
    new TextEncoder().encode(`${header}.${payload}`),
  );
  return `${header}.${payload}.${Buffer.from(signature).toString('base64url')}`;
}

/** A key resolver that counts its lookups, to prove a refusal came before any key lookup (RFC 8725 §3.1). */
export function countingResolver(inner: KeyResolver): { keys: KeyResolver; lookups: () => number } {
  let count = 0;
  return {
    keys: (header, token) => {
      count += 1;
      return inner(header, token);
    },
    lookups: () => count,
  };
}

/** An unsecured JWS (`alg: none`, RFC 7519 §6). */
export function unsecured(header: Record<string, unknown>, payload: unknown): string {
  return `${b64json({ ...header, alg: 'none' })}.${b64json(payload)}.`;
}

/**
 * Asserts that `promise` rejects with a {@link JwtValidationError} of exactly `code` (and `claim` when given) that
 * carries a log message (an empty one would leave the server's log silent about why the token was refused).
 * Returns the error for further checks.
 */
export async function expectCode(
  promise: Promise<unknown>,
  code: JwtErrorCode,
  claim?: string,
): Promise<JwtValidationError | undefined> {
  const error: unknown = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error, 'the promise should have rejected').toBeInstanceOf(JwtValidationError);
  if (!(error instanceof JwtValidationError)) return undefined;
  expect(error.code).toBe(code);
  if (claim !== undefined) expect(error.claim).toBe(claim);
  expect(error.message.trim(), 'the log message').not.toBe('');
  return error;
}

/** Removes `name` from a copy of `claims`. */
export function without(claims: Record<string, unknown>, name: string): Record<string, unknown> {
  const copy = { ...claims };
  delete copy[name];
  return copy;
}
