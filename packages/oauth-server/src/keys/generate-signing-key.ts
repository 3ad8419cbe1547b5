import { calculateJwkThumbprint, exportJWK, generateKeyPair } from 'jose';
import type { StoredSigningKey } from './signing-key-storage.js';

/** The signature algorithms the key store can generate keys for. */
export type SigningAlgorithm = 'ES256';

/**
 * Generates a fresh key pair as a next key (not yet activated); `kid` is its RFC 7638 thumbprint, so the same key
 * always has the same id.
 */
export async function generateSigningKey(alg: SigningAlgorithm, createdAt: number): Promise<StoredSigningKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  const publicJwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(publicJwk, 'sha256');
  const privateJwk = await exportJWK(privateKey);
  return {
    kid,
    alg,
    privateJwk: { ...privateJwk, kid, alg },
    publicJwk: { ...publicJwk, kid, alg, use: 'sig' },
    createdAt,
    activatedAt: null,
    retiredAt: null,
  };
}
