import type { KeyStore } from '@ema/oauth-server';
import type { AuditLog } from '@ema/storage';
import type { IdpConfig } from './config.js';
import type { SecurityEventSignals } from './ssf/security-event-signals.js';
import type { IdpStorage } from './storage/idp-storage.js';

/** What every IdP module needs, built once by `buildApp` and passed down explicitly. */
export interface IdpContext {
  readonly config: IdpConfig;
  readonly storage: IdpStorage;
  readonly keyStore: KeyStore;
  readonly audit: AuditLog;
  /** The SSF Transmitter: emits revocation events to every authorization server that has a stream. */
  readonly signals: SecurityEventSignals;
  /** Clock in epoch milliseconds (injectable so tests can freeze time). */
  readonly now: () => number;
}

/** Current time in whole seconds (JWT NumericDate, RFC 7519 §2). */
export function nowSeconds(context: Pick<IdpContext, 'now'>): number {
  return Math.floor(context.now() / 1000);
}
