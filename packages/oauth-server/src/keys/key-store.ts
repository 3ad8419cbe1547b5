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
 * public key published for `retentionSeconds`, then prunes it.
 *
 * The store always holds a pre-published next key: it is in the JWKS (and resolvable by `keys()`) but signs
 * nothing. `rotate()` promotes it, so a new signing key is one verifiers have had the chance to cache since it
 * was published. Verifiers cache the JWKS and refetch on an unknown kid only after a cooldown (30 s in
 * `createRemoteJwks`, 60 s in openid-client), so signing with a freshly generated key would have its tokens
 * refused for that long. `signer()`, `jwks()` and `keys()` answer from memory: no I/O on the hot path.
 */
export class KeyStore {
  readonly #storage: SigningKeyStorage;
  readonly #alg: SigningAlgorithm;
  readonly #retentionMs: number;
  readonly #now: () => number;
  #current: KeyWithSigner;
  #next: KeyWithSigner;
  #jwks: JwksDocument = { keys: [] };
  #resolver: KeyResolver = localJwks({ keys: [] });
  #nextPruneAt = Number.POSITIVE_INFINITY;
  #rotation: Promise<unknown> = Promise.resolve();

  private constructor(options: KeyStoreOptions, current: KeyWithSigner, next: KeyWithSigner) {
    this.#storage = options.storage;
    this.#alg = options.alg ?? 'ES256';
    this.#retentionMs = options.retentionSeconds * 1000;
    this.#now = options.now ?? Date.now;
    this.#current = current;
    this.#next = next;
  }

  /**
   * Loads the persisted keys, prunes retired keys past their retention and makes sure there is exactly one
   * current and one next key. First open generates both; a store written before next keys existed gets a next
   * key; an interrupted rotation is resolved (the most recently activated key signs, other active keys are
   * retired; of several next keys the longest published is kept, the others, which never signed, are removed).
   */
  static async open(options: KeyStoreOptions): Promise<KeyStore> {
    if (!Number.isFinite(options.retentionSeconds) || options.retentionSeconds < 0) {
      throw new RangeError('retentionSeconds must be a non-negative number');
    }
    const { storage } = options;
    const alg = options.alg ?? 'ES256';
    const now = (options.now ?? Date.now)();
    const { active, pending } = keyRoles(storage, alg);

    let current = active[0];
    for (const stale of active.slice(1)) storage.retire(stale.kid, now);
    if (current === undefined) {
      // Prefer a key that is already published (verifiers may hold it) over a brand-new one.
      const promoted = pending.shift();
      current = { ...(promoted ?? (await generateSigningKey(alg, now))), activatedAt: now };
      if (promoted === undefined) storage.insert(current);
      else storage.activate(current.kid, now);
    }
    let next = pending[0];
    for (const extra of pending.slice(1)) storage.remove(extra.kid);
    if (next === undefined) {
      next = await generateSigningKey(alg, now);
      storage.insert(next);
    }

    const store = new KeyStore(options, await withSigner(current), await withSigner(next));
    store.#reload();
    return store;
  }

  /** The current signing key (synchronous, from memory). */
  signer(): Signer {
    return this.#current.signer;
  }

  /** The `kid` of the pre-published next key: published in `jwks()`, signing only after the next `rotate()`. */
  nextKid(): string {
    return this.#next.key.kid;
  }

  /** The JWKS document: the current key, the next key and the retired keys still within their retention (cached). */
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

  /**
   * Promotes the pre-published next key to current (the returned `kid`), retires the previous current key (the
   * returned `retiredKid`, still published for `retentionSeconds`) and generates and publishes a new next key.
   * Rotate no more often than verifiers refresh their JWKS cache, or the promoted key may still be unknown to them.
   */
  rotate(): Promise<{ kid: string; retiredKid: string }> {
    // Rotations are serialized so two concurrent calls never leave two active keys.
    const next = this.#rotation.then(() => this.#rotateNow());
    this.#rotation = next.catch(() => undefined);
    return next;
  }

  /**
   * Adopts what another instance sharing the storage did since: its rotation (the most recently activated key
   * signs here too), its next key, its pruning; then republishes from storage. Serialized with `rotate()`. Call it
   * when the storage reports a change to the keys (PostgreSQL `LISTEN`/`NOTIFY`), so that every instance signs with
   * and publishes the same keys.
   */
  refresh(): Promise<void> {
    const next = this.#rotation.then(() => this.#adopt());
    this.#rotation = next.catch(() => undefined);
    return next;
  }

  async #adopt(): Promise<void> {
    const { active, pending } = keyRoles(this.#storage, this.#alg);
    const current = active[0];
    const next = pending[0];
    if (current !== undefined && current.kid !== this.#current.key.kid) this.#current = await withSigner(current);
    if (next !== undefined && next.kid !== this.#next.key.kid) this.#next = await withSigner(next);
    this.#reload();
  }

  async #rotateNow(): Promise<{ kid: string; retiredKid: string }> {
    // From the shared state: another instance may have rotated since this one last looked.
    await this.#adopt();
    const now = this.#now();
    const fresh = await withSigner(await generateSigningKey(this.#alg, now));
    const promoted: KeyWithSigner = { ...this.#next, key: { ...this.#next.key, activatedAt: now } };
    const retiredKid = this.#current.key.kid;
    // This order leaves every interruption resolvable by open(): an extra next key (removed, it never signed),
    // or two active keys (the newer signs, the older is retired). Never a moment without a published signer.
    this.#storage.insert(fresh.key);
    this.#storage.activate(promoted.key.kid, now);
    this.#storage.retire(retiredKid, now);
    this.#current = promoted;
    this.#next = fresh;
    this.#reload();
    return { kid: promoted.key.kid, retiredKid };
  }

  #pruneIfDue(): void {
    if (this.#now() >= this.#nextPruneAt) this.#reload();
  }

  /** Re-reads storage, removes retired keys past retention and rebuilds the cached JWKS and resolver (current and next keys are always published). */
  #reload(): void {
    const now = this.#now();
    const published: StoredSigningKey[] = [];
    let nextPruneAt = Number.POSITIVE_INFINITY;
    for (const key of this.#storage.list()) {
      if (key.retiredAt === null || key.kid === this.#current.key.kid) {
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

/**
 * The unretired keys of `alg` by role: the active ones newest first (the first signs), the pending (next) ones
 * longest published first (the first is promoted next). Ties go by kid, so every instance reading the same rows
 * makes the same choice.
 */
function keyRoles(
  storage: SigningKeyStorage,
  alg: string,
): { active: StoredSigningKey[]; pending: StoredSigningKey[] } {
  const unretired = storage.list().filter((key) => key.retiredAt === null && key.alg === alg);
  const active = unretired
    .filter((key) => key.activatedAt !== null)
    .sort(
      (a, b) => (b.activatedAt ?? 0) - (a.activatedAt ?? 0) || b.createdAt - a.createdAt || (a.kid < b.kid ? -1 : 1),
    );
  const pending = unretired
    .filter((key) => key.activatedAt === null)
    .sort((a, b) => a.createdAt - b.createdAt || (a.kid < b.kid ? -1 : 1));
  return { active, pending };
}

/** A stored key with its imported private key, so promoting it to current needs no I/O. */
interface KeyWithSigner {
  key: StoredSigningKey;
  signer: Signer;
}

async function withSigner(key: StoredSigningKey): Promise<KeyWithSigner> {
  const privateKey = await importJWK(key.privateJwk, key.alg);
  if (privateKey instanceof Uint8Array) throw new TypeError('a signing key must be asymmetric');
  return { key, signer: { kid: key.kid, alg: key.alg, privateKey } };
}
