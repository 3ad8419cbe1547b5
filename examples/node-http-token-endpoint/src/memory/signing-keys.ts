import type { SigningKeyStorage, StoredSigningKey } from '@ema/oauth-server';

/**
 * The `SigningKeyStorage` seam of `KeyStore`, in memory: keys are generated at boot and lost at exit, so every
 * restart publishes new keys and the access tokens signed before it no longer verify. A deployment persists them
 * (encrypted at rest: these are private keys), as `@ema/oauth-server/sqlite` does for the apps.
 */
export function createMemorySigningKeyStorage(): SigningKeyStorage {
  const keys = new Map<string, StoredSigningKey>();
  return {
    // Insertion order is creation order, as the SQLite storage's ORDER BY created_at.
    list: () => [...keys.values()],
    insert: (key) => {
      keys.set(key.kid, key);
    },
    activate: (kid, at) => {
      const key = keys.get(kid);
      if (key && key.activatedAt === null) keys.set(kid, { ...key, activatedAt: at });
    },
    retire: (kid, at) => {
      const key = keys.get(kid);
      if (key && key.retiredAt === null) keys.set(kid, { ...key, retiredAt: at });
    },
    remove: (kid) => {
      keys.delete(kid);
    },
  };
}
