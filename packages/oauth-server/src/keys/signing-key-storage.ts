import type { JWK } from 'jose';

/**
 * A signing key as persisted. Times are epoch milliseconds. Its role follows from the two times: `activatedAt`
 * null is the pre-published next key, `activatedAt` set and `retiredAt` null is the current key, `retiredAt` set
 * is a retired key kept published until its retention passes.
 */
export interface StoredSigningKey {
  /** RFC 7638 JWK thumbprint (SHA-256, base64url) of the public key. */
  kid: string;
  alg: string;
  privateJwk: JWK;
  publicJwk: JWK;
  createdAt: number;
  /** When the key started signing; `null` for the next key (published, not yet signing). */
  activatedAt: number | null;
  /** When the key stopped signing; `null` for the current and the next key. */
  retiredAt: number | null;
}

/** The narrow storage interface of the key store (SQLite is the embedded default). */
export interface SigningKeyStorage {
  list(): StoredSigningKey[];
  insert(key: StoredSigningKey): void;
  /** Marks a next key as signing from `at` (no effect on a key already activated). */
  activate(kid: string, at: number): void;
  retire(kid: string, at: number): void;
  remove(kid: string): void;
}
