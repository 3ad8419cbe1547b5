import type { KeyStore } from '@ema/oauth-server';
import type { RasConfig } from './config.js';
import type { RasStorage } from './storage/ras-storage.js';

/** What the RAS routes share: configuration, storage, signing keys and the clock. Built once by `buildApp`. */
export interface RasContext {
  config: RasConfig;
  storage: RasStorage;
  keyStore: KeyStore;
  /** Epoch milliseconds. */
  now: () => number;
}
