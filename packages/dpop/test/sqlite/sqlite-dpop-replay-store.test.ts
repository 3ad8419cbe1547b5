import { STORES } from '@ema/store-testing';
import { describe, expect, it } from 'vitest';
import { createSqliteDpopReplayStore, dpopReplayMigrations } from '../../src/sqlite.js';

describe.each(STORES)('$name DPoP replay store', (store) => {
  it('[DPOP-PROOF-REPLAY] records (jkt, jti) once, durably, and purges entries whose window closed', async () => {
    const replay = createSqliteDpopReplayStore((await store.open(dpopReplayMigrations)).connect());
    expect(replay.consume({ jkt: 'k1', jti: 'a', exp: 100 }, 1)).toBe(true);
    expect(replay.consume({ jkt: 'k1', jti: 'a', exp: 100 }, 2)).toBe(false);
    // Another key's jti is its own: one client cannot spend another's.
    expect(replay.consume({ jkt: 'k2', jti: 'a', exp: 200 }, 3)).toBe(true);
    expect(replay.purgeExpiredBefore(150)).toBe(1);
    expect(replay.consume({ jkt: 'k2', jti: 'a', exp: 200 }, 4)).toBe(false);
  });

  it('[DPOP-PG-REPLAY] a proof presented to two instances sharing the store is accepted by one only', async () => {
    const shared = await store.open(dpopReplayMigrations);
    const [a, b] = [createSqliteDpopReplayStore(shared.connect()), createSqliteDpopReplayStore(shared.connect())];
    // exp derives from the proof's iat, a NumericDate that may carry a fraction.
    const proof = { jkt: 'k1', jti: 'proof-1', exp: 1_700_000_065.25 };
    const nowMs = 1_700_000_000_000;
    expect(a.consume(proof, nowMs)).toBe(true);
    expect(b.consume(proof, nowMs + 1)).toBe(false);
    expect(a.consume(proof, nowMs + 2)).toBe(false);
    // Kept for the whole window: not purged before its (rounded-up) exp.
    expect(b.purgeExpiredBefore(1_700_000_066)).toBe(0);
    expect(b.purgeExpiredBefore(1_700_000_066.5)).toBe(1);
  });
});
