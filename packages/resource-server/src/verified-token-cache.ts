/**
 * A bounded memory of access tokens whose signature and claims already verified, so that an agent's hundreds of tool
 * calls with one token pay for one ES256 verify instead of hundreds. It can never outlive what makes a token
 * invalid: an entry is used only while the token is unexpired (the same `exp` rule and tolerance as the verification)
 * and never longer than `maxAgeSeconds` after it was verified (a key the authorization server withdraws from its JWKS
 * stops counting within that time, as the JWKS cache would let it); the revocation list is checked on every use,
 * cached or not, by `verifyBearerToken`. Only successes are remembered: a refused token is verified again each time.
 */
import type { AccessTokenClaims } from '@ema/protocol';
import type { AccessTokenPrincipal } from './access-token-principal.js';

/** A token that verified: its claims (for the revocation check) and its principal. */
export interface VerifiedToken {
  claims: AccessTokenClaims;
  principal: AccessTokenPrincipal;
}

/** Bounds of a {@link VerifiedTokenCache}. */
export interface VerifiedTokenCacheOptions {
  /** Tokens remembered at most; the least recently used is forgotten first. Default 1024. */
  maxEntries?: number;
  /** Seconds an entry is used at most after its token verified. Default 60. */
  maxAgeSeconds?: number;
}

interface Entry extends VerifiedToken {
  /** Milliseconds since the epoch after which the entry is not used. */
  usableUntil: number;
}

/** Verified tokens by their exact compact serialization (a different byte is a different token). */
export class VerifiedTokenCache {
  // A Map iterates in insertion order; a hit re-inserts, so the first entry is the least recently used.
  readonly #entries = new Map<string, Entry>();
  readonly #maxEntries: number;
  readonly #maxAgeMs: number;

  /** Creates an empty cache; throws a `RangeError` on a bound that is not a positive integer. */
  constructor(options: VerifiedTokenCacheOptions = {}) {
    this.#maxEntries = options.maxEntries ?? 1024;
    this.#maxAgeMs = (options.maxAgeSeconds ?? 60) * 1000;
    if (!Number.isInteger(this.#maxEntries) || this.#maxEntries < 1) {
      throw new RangeError('maxEntries must be a positive integer');
    }
    if (!Number.isInteger(this.#maxAgeMs) || this.#maxAgeMs < 1) {
      throw new RangeError('maxAgeSeconds must be positive');
    }
  }

  /** How many tokens it holds. */
  get size(): number {
    return this.#entries.size;
  }

  /**
   * The principal of `token` if it verified within `maxAgeSeconds` and is still unexpired at `nowMs` with the
   * tolerance (RFC 7519 §4.1.4: not accepted on or after `exp`, here `exp + tolerance`, as the verification does).
   */
  get(token: string, nowMs: number, toleranceSeconds: number): VerifiedToken | undefined {
    const entry = this.#entries.get(token);
    if (entry === undefined) return undefined;
    this.#entries.delete(token);
    const expired = Math.floor(nowMs / 1000) >= entry.claims.exp + toleranceSeconds;
    if (expired || nowMs > entry.usableUntil) return undefined;
    this.#entries.set(token, entry);
    return entry;
  }

  /** Remembers a token that has just verified. */
  set(token: string, verified: VerifiedToken, nowMs: number): void {
    this.#entries.delete(token);
    if (this.#entries.size >= this.#maxEntries) {
      const oldest = this.#entries.keys().next().value;
      if (oldest !== undefined) this.#entries.delete(oldest);
    }
    this.#entries.set(token, { ...verified, usableUntil: nowMs + this.#maxAgeMs });
  }
}
