/** What every action of one client shares: the settings, the access tokens and the discovery results. */
import type { AccessTokenCache } from './access-token-cache.js';
import type { EmaClientSettings } from './configuration.js';
import type { DiscoveryCache } from './discovery/discovery-cache.js';

/** The process-wide state an action reads and updates (an `EmaClient` is one). */
export interface EmaClientState {
  readonly settings: EmaClientSettings;
  readonly cache: AccessTokenCache;
  readonly discoveries: DiscoveryCache;
}
