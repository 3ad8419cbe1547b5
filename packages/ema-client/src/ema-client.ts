/**
 * The EMA client: what an agent host needs to reach MCP servers under Enterprise-Managed Authorization, without any
 * web framework or MCP library. One {@link EmaClient} per process (it holds the access tokens and discovery results
 * of every user); one {@link ServerAuthorization} per action of a user at a server.
 */
import { AccessTokenCache } from './access-token-cache.js';
import type { EmaClientState } from './client-state.js';
import { type EmaClientOptions, type EmaClientSettings, type EmaUser, resolveSettings } from './configuration.js';
import { DiscoveryCache } from './discovery/discovery-cache.js';
import { DpopNonceMemory } from './dpop/dpop-nonce-memory.js';
import { type AuthorizationOptions, ServerAuthorization } from './server-authorization.js';

/** See the module comment. */
export class EmaClient implements EmaClientState {
  readonly settings: EmaClientSettings;
  readonly cache: AccessTokenCache;
  readonly discoveries = new DiscoveryCache();
  readonly dpopNonces = new DpopNonceMemory();

  constructor(options: EmaClientOptions) {
    this.settings = resolveSettings(options);
    this.cache = new AccessTokenCache({
      now: this.settings.now,
      ...(options.renewBeforeSeconds !== undefined ? { renewBeforeSeconds: options.renewBeforeSeconds } : {}),
    });
  }

  /** Starts one action (connect, list, call) for `user` at the MCP server `serverUrl`. */
  authorization(user: EmaUser, serverUrl: string, options: AuthorizationOptions = {}): ServerAuthorization {
    return new ServerAuthorization(this, user, serverUrl, options);
  }

  /**
   * Forgets tokens, discovery and the DPoP key for (user, server), or for every server of the user (sign-out): the
   * next connection starts afresh, with a new key.
   */
  forget(userKey: string, serverUrl?: string): void {
    this.cache.forget(userKey, serverUrl);
    this.discoveries.forget(userKey, serverUrl);
    this.settings.dpopKeys?.forget(userKey, serverUrl);
  }
}
