import { type KeyResolver, localJwks, type Signer } from '@ema/jwt';
import { importJWK, type JWK } from 'jose';
import { generateSigningKey, type SigningAlgorithm } from './generate-signing-key.js';
import type { SigningKeyStorage, StoredSigningKey } from './signing-key-storage.js';

/** Options of {@link KeyStore.open}. */
export interface KeyStoreOptions {
  storage: SigningKeyStorage;
  /** Algorithm of newly generated keys (default `ES256`). */
  alg?: SigningAlgorithm;
  /**
   * How long a retired key stays published in the JWKS: at least the longest lifetime of a token it signed
   * (plus clock tolerance), so every token it signed can still be verified until it expires.
   */
  retentionSeconds: number;
  /** Clock in epoch milliseconds (default `Date.now`). */
  now?: () => number;
}

/** A JSON Web Key Set document (RFC 7517 §5). */
export interface JwksDocument {
  keys: JWK[];
}

/**
 * The signing keys of an issuer, persisted through a {@link SigningKeyStorage}: keys are generated once and
 * reloaded at boot (never regenerated), `kid` is the RFC 7638 thumbprint, and a rotation keeps the retired
 * public key published for `retentionSeconds`, then prunes it. `signer()`, `jwks()` and `keys()` answer from
 * memory: no I/O on the hot path.
 */
export class KeyStore {
  readonly #storage: SigningKeyStorage;
  readonly #alg: SigningAlgorithm;
  readonly #retentionMs: number;
  readonly #now: () => number;
  #current: StoredSigningKey;
  #signer: Signer;
  #jwks: JwksDocument = { keys: [] };
  #resolver: KeyResolver = localJwks({ keys: [] });
  #nextPruneAt = Number.POSITIVE_INFINITY;
  #rotation: Promise<unknown> = Promise.resolve();

  private constructor(options: KeyStoreOptions, current: StoredSigningKey, signer: Signer) {
    this.#storage = options.storage;
    this.#alg = options.alg ?? 'ES256';
    this.#retentionMs = options.retentionSeconds * 1000;
    this.#now = options.now ?? Date.now;
    this.#current = current;
    this.#signer = signer;
  }

  /**
   * Loads the persisted keys (generating the first key when there is none), prunes retired keys past their
   * retention and, should several keys be active (an interrupted rotation), keeps the newest as current.
   */
  static async open(options: KeyStoreOptions): Promise<KeyStore> {
    if (!Number.isFinite(options.retentionSeconds) || options.retentionSeconds < 0) {
      throw new RangeError('retentionSeconds must be a non-negative number');
    }
    const alg = options.alg ?? 'ES256';
    const now = (options.now ?? Date.now)();
    const active = options.storage
      .list()
      .filter((key) => key.retiredAt === null && key.alg === alg)
      .sort((a, b) => b.createdAt - a.createdAt);
    let current = active[0];
    for (const stale of active.slice(1)) options.storage.retire(stale.kid, now);
    if (current === undefined) {
      current = await generateSigningKey(alg, now);
      options.storage.insert(current);
    }
    const store = new KeyStore(options, current, await toSigner(current));
    store.#reload();
    return store;
  }

  /** The current signing key (synchronous, from memory). */
  signer(): Signer {
    return this.#signer;
  }

  /** The JWKS document: the current key and the retired keys still within their retention (cached). */
  jwks(): JwksDocument {
    this.#pruneIfDue();
    return this.#jwks;
  }

  /** A key resolver over the published keys, for verifying this issuer's own tokens. */
  keys(): KeyResolver {
    return this.#keys;
  }

  // One stable resolver that always consults the current key set (rotations and pruning included).
  readonly #keys: KeyResolver = (header, token) => {
    this.#pruneIfDue();
    return this.#resolver(header, token);
  };

  /** Generates and persists a new current key; the previous one is retired but stays published. */
  rotate(): Promise<{ kid: string; retiredKid: string }> {
    // Rotations are serialized so two concurrent calls never leave two active keys.
    const next = this.#rotation.then(() => this.#rotateNow());
    this.#rotation = next.catch(() => undefined);
    return next;
  }

  async #rotateNow(): Promise<{ kid: string; retiredKid: string }> {
    const now = this.#now();
    const fresh = await generateSigningKey(this.#alg, now);
    const signer = await toSigner(fresh);
    const retiredKid = this.#current.kid;
    // Insert before retiring: an interruption in between leaves two active keys, which open() resolves.
    this.#storage.insert(fresh);
    this.#storage.retire(retiredKid, now);
    this.#current = fresh;
    this.#signer = signer;
    this.#reload();
    return { kid: fresh.kid, retiredKid };
  }

  #pruneIfDue(): void {
    if (this.#now() >= this.#nextPruneAt) this.#reload();
  }

  /** Re-reads storage, removes retired keys past retention and rebuilds the cached JWKS and resolver. */
  #reload(): void {
    const now = this.#now();
    const published: StoredSigningKey[] = [];
    let nextPruneAt = Number.POSITIVE_INFINITY;
    for (const key of this.#storage.list()) {
      if (key.retiredAt === null || key.kid === this.#current.kid) {
        published.push(key);
        continue;
      }
      const expiresAt = key.retiredAt + this.#retentionMs;
      if (now >= expiresAt) {
        this.#storage.remove(key.kid);
      } else {
        published.push(key);
        nextPruneAt = Math.min(nextPruneAt, expiresAt);
      }
    }
    this.#jwks = { keys: published.map((key) => key.publicJwk) };
    this.#resolver = localJwks(this.#jwks);
    this.#nextPruneAt = nextPruneAt;
  }
}

async function toSigner(key: StoredSigningKey): Promise<Signer> {
  const privateKey = await importJWK(key.privateJwk, key.alg);
  if (privateKey instanceof Uint8Array) throw new TypeError('a signing key must be asymmetric');
  return { kid: key.kid, alg: key.alg, privateKey };
}
