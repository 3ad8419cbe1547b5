import { GRANT_TYPE_JWT_BEARER, MEDIA_TYPE_FORM } from '@ema/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { basic, form, type Rig, redeem, redemptionAudit, startRas } from '../support/ras.js';
import { CLIENT_ID, CLIENT_SECRET } from '../support/test-idp.js';

describe('jwt-bearer grant: single use across concurrency and restarts', () => {
  let rig: Rig | undefined;
  afterEach(async () => {
    await rig?.app.close();
    rig = undefined;
  });

  it('[RAS-RFC7523-3-JTI-ATOMIC] of 50 parallel redemptions of one ID-JAG against a listening server, exactly one succeeds', async () => {
    rig = await startRas();
    const address = await rig.app.listen({ port: 0, host: '127.0.0.1' });
    const assertion = await rig.idp.mint(rig.clock.seconds);
    const request = () =>
      fetch(`${address}/token`, {
        method: 'POST',
        headers: { 'content-type': MEDIA_TYPE_FORM, authorization: basic(CLIENT_ID, CLIENT_SECRET) },
        body: form([
          ['grant_type', GRANT_TYPE_JWT_BEARER],
          ['assertion', assertion],
        ]),
      }).then(async (response) => ({ status: response.status, body: await response.text() }));
    const results = await Promise.all(Array.from({ length: 50 }, request));
    expect(results.filter((result) => result.status === 200)).toHaveLength(1);
    const refused = results.filter((result) => result.status !== 200);
    expect(refused).toHaveLength(49);
    for (const result of refused) {
      expect(result).toEqual({ status: 400, body: '{"error":"invalid_grant"}' });
    }
    const audit = await redemptionAudit(rig.app);
    expect(audit.filter((record) => record.outcome === 'allow')).toHaveLength(1);
    expect(audit.filter((record) => record.reason === 'ERR_ID_JAG_REPLAYED')).toHaveLength(49);
  });

  it('[RAS-RFC7523-3-JTI-PERSISTENT] a restart between issue and replay still refuses the replay', async () => {
    rig = await startRas();
    const assertion = await rig.idp.mint(rig.clock.seconds);
    expect((await redeem(rig.app, assertion)).statusCode).toBe(200);
    const app = await rig.restart();
    const replay = await redeem(app, assertion);
    expect(replay.statusCode).toBe(400);
    expect(replay.json()).toEqual({ error: 'invalid_grant' });
    expect((await redemptionAudit(app))[0]).toMatchObject({ reason: 'ERR_ID_JAG_REPLAYED' });
    // The signing key survived the restart too (persisted, never regenerated at boot).
    expect((await redeem(app, await rig.idp.mint(rig.clock.seconds))).statusCode).toBe(200);
  });

  it('[RAS-RFC7523-3-JTI-PERSISTENT] a replay is refused across two instances sharing one data directory', async () => {
    rig = await startRas();
    const { buildApp } = await import('../../src/app.js');
    const second = await buildApp(rig.config, { fetch: rig.idp.fetch, now: rig.clock.now });
    try {
      const assertion = await rig.idp.mint(rig.clock.seconds);
      const [a, b] = await Promise.all([redeem(rig.app, assertion), redeem(second, assertion)]);
      expect([a.statusCode, b.statusCode].sort()).toEqual([200, 400]);
    } finally {
      await second.close();
    }
  });

  it('[RAS-IDJAG-4.4.1-SUBJECT-RESOLUTION] with JIT provisioning off, refuses unknown subjects until an admin provisions them', async () => {
    rig = await startRas({ jitProvisioning: false });
    const refused = await redeem(rig.app, await rig.idp.mint(rig.clock.seconds));
    expect(refused.statusCode).toBe(400);
    expect(refused.json()).toEqual({ error: 'invalid_grant' });
    expect((await redemptionAudit(rig.app))[0]).toMatchObject({ reason: 'ERR_SUBJECT_UNKNOWN' });
    const provisioned = await rig.app.inject({
      method: 'POST',
      url: '/admin/api/subjects',
      headers: { authorization: `Bearer ${rig.config.adminApiToken}` },
      payload: { iss: 'http://localhost:3100', sub: 'idp-user-alice', email: 'alice@acme.example' },
    });
    expect(provisioned.statusCode).toBe(200);
    expect((await redeem(rig.app, await rig.idp.mint(rig.clock.seconds))).statusCode).toBe(200);
  });

  it('[RAS-IDJAG-4.4.1-JWKS-REFRESH] accepts an unknown kid that appears after the IdP rotates its keys (refetch, rate-limited)', async () => {
    rig = await startRas();
    expect((await redeem(rig.app, await rig.idp.mint(rig.clock.seconds))).statusCode).toBe(200);
    expect(rig.idp.jwksFetches).toBe(1);
    // Cached: a known kid costs no fetch.
    expect((await redeem(rig.app, await rig.idp.mint(rig.clock.seconds))).statusCode).toBe(200);
    expect(rig.idp.jwksFetches).toBe(1);

    await rig.idp.rotate();
    // Within the refetch cooldown the new kid is not fetched yet (rate limit against kid-flooding).
    const early = await redeem(rig.app, await rig.idp.mint(rig.clock.seconds));
    expect(early.json()).toEqual({ error: 'invalid_grant' });
    expect(rig.idp.jwksFetches).toBe(1);

    rig.clock.advance(31);
    const late = await redeem(rig.app, await rig.idp.mint(rig.clock.seconds));
    expect(late.statusCode).toBe(200);
    expect(rig.idp.jwksFetches).toBe(2);
    // Tokens signed by the old key still verify: it remains published.
    const old = rig.idp.published[0];
    if (!old) throw new Error('no old key');
    expect((await redeem(rig.app, await rig.idp.mint(rig.clock.seconds, {}, old.signer))).statusCode).toBe(200);
  });

  it('[JWT-JWKS-STALE-BOUND] serves the IdP keys for at most jwksStaleIfErrorSeconds while its key endpoint is down', async () => {
    rig = await startRas({ jwksStaleIfErrorSeconds: 120 });
    expect((await redeem(rig.app, await rig.idp.mint(rig.clock.seconds))).statusCode).toBe(200);
    rig.idp.available = false;
    // The set expires after 600 s; its refetch fails; the stale keys still serve for 120 s more.
    rig.clock.advance(600 + 120);
    expect((await redeem(rig.app, await rig.idp.mint(rig.clock.seconds))).statusCode).toBe(200);
    rig.clock.advance(1);
    const refused = await redeem(rig.app, await rig.idp.mint(rig.clock.seconds));
    expect(refused.json()).toEqual({ error: 'invalid_grant' });
    expect((await redemptionAudit(rig.app))[0]?.reason).toBe('ERR_JWKS_UNAVAILABLE');
    rig.idp.available = true;
    rig.clock.advance(31);
    expect((await redeem(rig.app, await rig.idp.mint(rig.clock.seconds))).statusCode).toBe(200);
  });
});
