/** What every action of one client shares: the settings, the access tokens and the discovery results. */
import type { AccessTokenCache } from './access-token-cache.js';
import type { EmaClientSettings } from './configuration.js';
import type { DiscoveryCache } from './discovery/discovery-cache.js';
import type { DpopNonceMemory } from './dpop/dpop-nonce-memory.js';

/** The process-wide state an action reads and updates (an `EmaClient` is one). */
export interface EmaClientState {
  readonly settings: EmaClientSettings;
  readonly cache: AccessTokenCache;
  readonly discoveries: DiscoveryCache;
  /** The DPoP nonces the servers handed out (RFC 9449 §8, §9). */
  readonly dpopNonces: DpopNonceMemory;
}
