import { afterEach, describe, expect, it } from 'vitest';
import { purgeExpired } from '../../src/storage/purge.js';
import { openRasStorage, type RasStorage } from '../../src/storage/ras-storage.js';
import { type Rig, redeem, redemptionAudit, startRas } from '../support/ras.js';

describe('purge of consumed jtis', () => {
  let storage: RasStorage | undefined;
  let rig: Rig | undefined;
  afterEach(async () => {
    storage?.close();
    storage = undefined;
    await rig?.app.close();
    rig = undefined;
  });

  it('[RAS-RFC7523-3-JTI-PURGE-SAFE] deletes an entry only once exp + tolerance has passed', () => {
    storage = openRasStorage(':memory:');
    const now = 1_800_000_000;
    const tolerance = 30;
    const entry = (jti: string, exp: number) => ({ iss: 'https://idp.example', jti, exp, clientId: 'c' });
    expect(storage.consumedJtis.consume(entry('live', now + 60), now * 1000)).toBe(true);
    expect(storage.consumedJtis.consume(entry('in-tolerance', now - 29), now * 1000)).toBe(true);
    expect(storage.consumedJtis.consume(entry('at-edge', now - 30), now * 1000)).toBe(true);
    expect(storage.consumedJtis.consume(entry('dead', now - 31), now * 1000)).toBe(true);
    expect(purgeExpired(storage, now * 1000, tolerance).consumedJtis).toBe(1);
    expect(storage.consumedJtis.isConsumed('https://idp.example', 'live')).toBe(true);
    expect(storage.consumedJtis.isConsumed('https://idp.example', 'in-tolerance')).toBe(true);
    expect(storage.consumedJtis.isConsumed('https://idp.example', 'at-edge')).toBe(true);
    expect(storage.consumedJtis.isConsumed('https://idp.example', 'dead')).toBe(false);
  });

  it('[RAS-RFC7523-3-JTI-SINGLE-USE] consumes an (iss, jti) pair once; the same jti from another issuer is distinct', () => {
    storage = openRasStorage(':memory:');
    const entry = { iss: 'https://a.example', jti: 'j', exp: 1, clientId: 'c' };
    expect(storage.consumedJtis.consume(entry, 0)).toBe(true);
    expect(storage.consumedJtis.consume(entry, 0)).toBe(false);
    expect(storage.consumedJtis.consume({ ...entry, iss: 'https://b.example' }, 0)).toBe(true);
  });

  it('[RAS-RFC7523-3-JTI-PURGE-SAFE] a purge at any moment of an ID-JAG lifetime never lets its replay through', async () => {
    rig = await startRas();
    const now = rig.clock.seconds;
    const assertion = await rig.idp.mint(now, { iat: now, exp: now + 60 });
    expect((await redeem(rig.app, assertion)).statusCode).toBe(200);
    const { openRasStorage: open } = await import('../../src/storage/ras-storage.js');
    const side = open(rig.config.dataDir);
    try {
      for (let step = 0; step <= 100; step += 5) {
        rig.clock.ms = (now + step) * 1000;
        purgeExpired(side, rig.clock.ms, rig.config.clockToleranceSeconds);
        const replay = await redeem(rig.app, assertion);
        expect(replay.json(), `at +${step}s`).toEqual({ error: 'invalid_grant' });
      }
    } finally {
      side.close();
    }
  });

  it('[RAS-RFC7523-3-JTI-PURGE-SAFE] re-checks exp at consume time, so a purge racing a verification cannot free the jti', async () => {
    rig = await startRas();
    const now = rig.clock.seconds;
    const assertion = await rig.idp.mint(now, { iat: now - 300, exp: now });
    expect((await redeem(rig.app, assertion)).statusCode).toBe(200);
    // Simulate the race: the entry is gone (purged by a clock that ran ahead) while verification still accepts.
    const side = openRasStorage(rig.config.dataDir);
    try {
      purgeExpired(side, (now + 31) * 1000, rig.config.clockToleranceSeconds);
      expect(
        side.consumedJtis.isConsumed(
          'http://localhost:3100',
          String((await import('@ema/jwt')).decodeUnverified(assertion)?.claims.jti),
        ),
      ).toBe(false);
    } finally {
      side.close();
    }
    // Verification reads "now" before it fetches the IdP JWKS; from that fetch on, the clock has passed the purge
    // horizon, so the commit step (which re-reads the clock under the write lock) must refuse.
    let late = false;
    const { buildApp } = await import('../../src/app.js');
    const racing = await buildApp(rig.config, {
      fetch: (input, init) => {
        late = true;
        return rig ? rig.idp.fetch(input, init) : Promise.reject(new Error('no rig'));
      },
      now: () => (late ? (now + 31) * 1000 : now * 1000),
    });
    try {
      const replay = await redeem(racing, assertion);
      expect(replay.json()).toEqual({ error: 'invalid_grant' });
      expect(late).toBe(true);
      expect((await redemptionAudit(racing))[0]).toMatchObject({ reason: 'ERR_JWT_EXPIRED' });
    } finally {
      await racing.close();
    }
  });
});
