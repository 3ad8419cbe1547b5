import type { ConsumedJtiStore } from '@ema/oauth-server';

/** How often, at most, expired entries are swept (on the next `consume`). */
const SWEEP_INTERVAL_MS = 60_000;

/**
 * RFC 7523 §3 single use of `(iss, jti)`, in the memory of ONE process. The check-and-insert is atomic because
 * JavaScript runs it without yielding; but the set is lost on restart and not shared with a second instance, so an
 * ID-JAG could be redeemed once per process. A deployment needs a durable store shared by every instance with an
 * atomic insert (a primary key, `SET NX`): see the README.
 *
 * An entry is kept until its ID-JAG's `exp` plus the clock tolerance has passed: until then verification would still
 * accept the ID-JAG, so forgetting the `jti` earlier would let a replay through.
 */
export function createMemoryConsumedJtis(clockToleranceSeconds: number): ConsumedJtiStore & { size(): number } {
  // (iss, jti) as a JSON pair (no separator an issuer or jti could forge) -> the ID-JAG's exp.
  const consumed = new Map<string, number>();
  let nextSweepAt = 0;

  const sweep = (nowMs: number): void => {
    nextSweepAt = nowMs + SWEEP_INTERVAL_MS;
    const bound = Math.floor(nowMs / 1000) - clockToleranceSeconds;
    for (const [key, exp] of consumed) if (exp < bound) consumed.delete(key);
  };

  return {
    consume(entry, nowMs) {
      if (nowMs >= nextSweepAt) sweep(nowMs);
      const key = JSON.stringify([entry.iss, entry.jti]);
      if (consumed.has(key)) return false;
      consumed.set(key, entry.exp);
      return true;
    },
    size: () => consumed.size,
  };
}
