import type { JWK } from 'jose';

/** A signing key as persisted. Times are epoch milliseconds. */
export interface StoredSigningKey {
  /** RFC 7638 JWK thumbprint (SHA-256, base64url) of the public key. */
  kid: string;
  alg: string;
  privateJwk: JWK;
  publicJwk: JWK;
  createdAt: number;
  /** When the key stopped signing; `null` for the current key. */
  retiredAt: number | null;
}

/** The narrow storage interface of the key store (SQLite is the embedded default). */
export interface SigningKeyStorage {
  list(): StoredSigningKey[];
  insert(key: StoredSigningKey): void;
  retire(kid: string, at: number): void;
  remove(kid: string): void;
}
