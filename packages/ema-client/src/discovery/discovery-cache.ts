/** Discovery results per (user, MCP server), so later actions re-mint without discovering again. */
import type { AuthorizationDiscovery } from './discover-authorization.js';

/** In-memory store of discovery results keyed by user and MCP server URL. */
export class DiscoveryCache {
  readonly #entries = new Map<string, AuthorizationDiscovery>();

  /** The result remembered for (user, server). */
  get(userKey: string, serverUrl: string): AuthorizationDiscovery | undefined {
    return this.#entries.get(`${userKey}\n${serverUrl}`);
  }

  /** Remembers a result for (user, server). */
  set(userKey: string, serverUrl: string, discovery: AuthorizationDiscovery): void {
    this.#entries.set(`${userKey}\n${serverUrl}`, discovery);
  }

  /** Forgets the result for (user, server), or every result of the user. */
  forget(userKey: string, serverUrl?: string): void {
    if (serverUrl !== undefined) {
      this.#entries.delete(`${userKey}\n${serverUrl}`);
      return;
    }
    for (const key of this.#entries.keys()) if (key.startsWith(`${userKey}\n`)) this.#entries.delete(key);
  }
}
