import type { KeyStore } from '@ema/oauth-server';
import type { RasConfig } from './config.js';
import type { RasSignals } from './revocation/ras-signals.js';
import type { RasStorage } from './storage/ras-storage.js';

/** What the RAS routes share: configuration, storage, signing keys and the clock. Built once by `buildApp`. */
export interface RasContext {
  config: RasConfig;
  storage: RasStorage;
  keyStore: KeyStore;
  /** Revocation across the chain: cut-offs, the receiver of the IdPs' events, the transmitter to the MCP servers. */
  signals: RasSignals;
  /** Epoch milliseconds. */
  now: () => number;
}
