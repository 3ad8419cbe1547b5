/**
 * Access tokens per (user, MCP server), used until shortly before they expire. this project (docs/protocol.md, Decisions): the RAS issues no
 * refresh tokens, so an expiring token is replaced by minting a new one through the IdP (a fresh ID-JAG each time,
 * since an ID-JAG is single use).
 */

/** A cached access token and what it was issued for. */
export interface CachedAccessToken {
  accessToken: string;
  /** RFC 9449 §5: `DPoP` when the token is bound to the connection's key (sent with the DPoP scheme), else `Bearer`. */
  tokenType: 'Bearer' | 'DPoP';
  /** Epoch milliseconds. */
  expiresAt: number;
  /** Epoch milliseconds from which the token is replaced before use. */
  renewAt: number;
  /** The scopes the RAS granted. */
  scopes: string[];
  /** The scopes asked for, reused when the token is re-minted. */
  requestedScopes: string[];
  /** The RAS that issued it. */
  issuer: string;
}

/** Options of {@link AccessTokenCache}. */
export interface AccessTokenCacheOptions {
  /** Clock in epoch milliseconds (tests freeze it). */
  now?: () => number;
  /** A token this close to expiry counts as expired, so it is never presented just as it lapses. */
  renewBeforeSeconds?: number;
  /** Lifetime assumed when the RAS omits `expires_in` (RFC 6749 §5.1 makes it only recommended). */
  defaultLifetimeSeconds?: number;
}

/** In-memory cache of access tokens keyed by user and MCP server URL. */
export class AccessTokenCache {
  readonly #entries = new Map<string, CachedAccessToken>();
  readonly #now: () => number;
  readonly #renewBeforeMs: number;
  readonly #defaultLifetimeMs: number;

  constructor(options: AccessTokenCacheOptions = {}) {
    this.#now = options.now ?? Date.now;
    this.#renewBeforeMs = (options.renewBeforeSeconds ?? 60) * 1000;
    this.#defaultLifetimeMs = (options.defaultLifetimeSeconds ?? 300) * 1000;
  }

  /** The token for (user, server) when it is still fresh. */
  fresh(userKey: string, serverUrl: string): CachedAccessToken | undefined {
    const entry = this.#entries.get(cacheKey(userKey, serverUrl));
    if (!entry) return undefined;
    return entry.renewAt > this.#now() ? entry : undefined;
  }

  /** The last token for (user, server), fresh or not (its scopes seed the next request). */
  last(userKey: string, serverUrl: string): CachedAccessToken | undefined {
    return this.#entries.get(cacheKey(userKey, serverUrl));
  }

  /** Stores a newly issued token. */
  store(
    userKey: string,
    serverUrl: string,
    token: {
      accessToken: string;
      tokenType?: 'Bearer' | 'DPoP';
      expiresIn: number | undefined;
      scopes: string[];
      requestedScopes: string[];
      issuer: string;
    },
  ): CachedAccessToken {
    const lifetimeMs = token.expiresIn !== undefined ? token.expiresIn * 1000 : this.#defaultLifetimeMs;
    const now = this.#now();
    // Short-lived tokens (shortened for tests) are renewed in their last quarter rather than never used.
    const margin = Math.min(this.#renewBeforeMs, lifetimeMs / 4);
    const entry: CachedAccessToken = {
      accessToken: token.accessToken,
      tokenType: token.tokenType ?? 'Bearer',
      expiresAt: now + lifetimeMs,
      renewAt: now + lifetimeMs - margin,
      scopes: token.scopes,
      requestedScopes: token.requestedScopes,
      issuer: token.issuer,
    };
    this.#entries.set(cacheKey(userKey, serverUrl), entry);
    return entry;
  }

  /** Drops the token for (user, server), or every token of the user. */
  forget(userKey: string, serverUrl?: string): void {
    if (serverUrl !== undefined) {
      this.#entries.delete(cacheKey(userKey, serverUrl));
      return;
    }
    for (const key of this.#entries.keys()) if (key.startsWith(`${userKey}\n`)) this.#entries.delete(key);
  }
}

function cacheKey(userKey: string, serverUrl: string): string {
  return `${userKey}\n${serverUrl}`;
}
