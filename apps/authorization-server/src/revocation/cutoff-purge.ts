import type { RasConfig } from '../config.js';
import type { RasSignals } from './ras-signals.js';

/**
 * Deletes what revocation no longer needs: cut-offs applied longer ago than any ID-JAG or access token they could
 * still refuse can live (the longest ID-JAG lifetime plus the access-token lifetime plus the clock tolerance), the
 * `jti`s of received events past their window, and finished outbox entries older than a day.
 */
export function purgeRevocationState(signals: RasSignals, config: RasConfig, nowMs: number) {
  const horizonSeconds =
    config.maxIdJagLifetimeSeconds + config.accessTokenTtlSeconds + 2 * config.clockToleranceSeconds;
  return {
    cutOffs: signals.cutOffs.purgeAppliedBefore(Math.floor(nowMs / 1000) - horizonSeconds),
    receivedEvents: signals.receivedEvents.purge(nowMs),
    outbox: signals.outbox.purgeFinished(nowMs - 24 * 3600 * 1000),
  };
}
