import type { ConsumedJtiStorage } from './consumed-jtis.js';
import type { RevokedTokenStorage } from './revoked-tokens.js';

/**
 * Deletes consumed `jti`s and revocation records that can no longer matter. A consumed `jti` is only deleted once
 * its ID-JAG's `exp` plus the clock tolerance has passed, i.e. once verification itself refuses that ID-JAG as
 * expired (jose: `exp <= now - tolerance`). The commit step re-checks `exp` under the write lock, so a purge that
 * runs between a request's verification and its commit cannot free a live `jti` either.
 */
export function purgeExpired(
  storage: { consumedJtis: ConsumedJtiStorage; revokedTokens: RevokedTokenStorage },
  nowMs: number,
  clockToleranceSeconds: number,
): { consumedJtis: number; revokedTokens: number } {
  const bound = Math.floor(nowMs / 1000) - clockToleranceSeconds;
  return {
    consumedJtis: storage.consumedJtis.purgeExpiredBefore(bound),
    revokedTokens: storage.revokedTokens.purgeExpiredBefore(bound),
  };
}
