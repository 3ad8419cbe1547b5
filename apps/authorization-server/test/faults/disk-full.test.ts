/**
 * The RAS on a full disk: `PRAGMA max_page_count` caps its database connection at its current size, so every write
 * that needs one more page fails with SQLITE_FULL exactly as on a full disk. Concurrent redemptions (one group commit)
 * are each answered 200 or `503 temporarily_unavailable` with `Retry-After`; a refused one consumed nothing and
 * recorded nothing, so the very same ID-JAG is redeemed once space is back, without a restart.
 */
import type { Database } from '@ema/storage/sqlite';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { loadRasConfig } from '../../src/config.js';
import { ADMIN_TOKEN, basic, postForm, redeem, redemptionAudit, TestClock, tempDataDir } from '../support/ras.js';
import { CLIENT_ID, CLIENT_SECRET, IDP_ISSUER, TestIdp } from '../support/test-idp.js';

const NO_LIMIT = 1_073_741_823;
const UNAVAILABLE = {
  error: 'temporarily_unavailable',
  error_description: 'the server cannot store this request now; retry later',
};

let app: FastifyInstance | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

async function start(idp: TestIdp, clock: TestClock): Promise<{ ras: FastifyInstance; db: Database }> {
  let opened: Database | undefined;
  const config = loadRasConfig({
    dataDir: tempDataDir(),
    allowInsecureLoopback: true,
    logLevel: 'silent',
    adminApiToken: ADMIN_TOKEN,
  });
  app = await buildApp(config, { fetch: idp.fetch, now: clock.now, onDatabaseOpen: (db) => (opened = db) });
  if (opened === undefined) throw new Error('the RAS opened no database');
  return { ras: app, db: opened };
}

function expectSuccessOr503(response: LightMyRequestResponse): void {
  expect([200, 503]).toContain(response.statusCode);
  if (response.statusCode === 503) {
    expect(response.json()).toEqual(UNAVAILABLE);
    expect(response.headers['retry-after']).toMatch(/^\d+$/);
    expect(response.headers['cache-control']).toBe('no-store');
  }
}

function isConsumed(db: Database, jti: string): boolean {
  return db.prepare('SELECT 1 FROM consumed_jtis WHERE iss = ? AND jti = ?').get(IDP_ISSUER, jti) !== undefined;
}

describe('the RAS on a full disk', () => {
  it('[FAULT-DISK-FULL-503] [FAULT-DISK-FULL-NO-PARTIAL-STATE] [FAULT-DISK-FULL-RECOVERY] answers concurrent redemptions 200 or 503; a 503 consumed no jti and wrote no record, and the same ID-JAG is redeemed once space is back', async () => {
    const idp = await TestIdp.create();
    const clock = new TestClock();
    const { ras, db } = await start(idp, clock);
    // Warm the JWKS cache and the subject's account while the disk has room.
    expect((await redeem(ras, await idp.mint(clock.seconds))).statusCode).toBe(200);

    db.pragma('max_page_count = 1');
    const accepted: { jti: string; assertion: string }[] = [];
    const refused: { jti: string; assertion: string }[] = [];
    for (let round = 0; round < 100 && (refused.length === 0 || round < 5); round += 1) {
      const batch = await Promise.all(
        Array.from({ length: 8 }, async (_, index) => {
          const jti = `full-${round}-${index}-${'x'.repeat(40)}`;
          const assertion = await idp.mint(clock.seconds, { jti });
          return { jti, assertion };
        }),
      );
      // One event-loop turn: the eight redemptions share one group commit.
      const responses = await Promise.all(batch.map(({ assertion }) => redeem(ras, assertion)));
      responses.forEach((response, index) => {
        const sent = batch[index];
        if (sent === undefined) return;
        expectSuccessOr503(response);
        (response.statusCode === 200 ? accepted : refused).push(sent);
      });
    }
    expect(refused.length).toBeGreaterThan(0);
    for (const { jti } of accepted) expect(isConsumed(db, jti)).toBe(true);
    for (const { jti } of refused) expect(isConsumed(db, jti)).toBe(false);

    db.pragma(`max_page_count = ${NO_LIMIT}`);
    const audit = await redemptionAudit(ras);
    const allowedJtis = new Set(audit.filter((record) => record.outcome === 'allow').map((record) => record.jti));
    for (const { jti } of accepted) expect(allowedJtis.has(jti)).toBe(true);
    for (const { jti } of refused) expect(allowedJtis.has(jti)).toBe(false);

    // Space is back: each refused ID-JAG is redeemed now, and each accepted one stays refused (single use).
    for (const { assertion } of refused) expect((await redeem(ras, assertion)).statusCode).toBe(200);
    for (const { assertion } of accepted.slice(0, 5)) {
      expect((await redeem(ras, assertion)).json()).toEqual({ error: 'invalid_grant' });
    }
  }, 60_000);

  it('[FAULT-DISK-FULL-503] [FAULT-DISK-FULL-NO-PARTIAL-STATE] [FAULT-DISK-FULL-RECOVERY] a revocation that cannot be stored is a 503 that revoked nothing (RFC 7009 §2.2.1), and the retry revokes and records it', async () => {
    const idp = await TestIdp.create();
    const clock = new TestClock();
    const { ras, db } = await start(idp, clock);
    const tokens: string[] = [];
    for (let index = 0; index < 40; index += 1) {
      tokens.push((await redeem(ras, await idp.mint(clock.seconds))).json<{ access_token: string }>().access_token);
    }
    const revoke = (token: string) =>
      postForm(ras, '/revoke', [['token', token]], { method: 'basic', clientId: CLIENT_ID, secret: CLIENT_SECRET });
    const introspect = async (token: string) =>
      (
        await ras.inject({
          method: 'POST',
          url: '/introspect',
          headers: {
            authorization: basic(CLIENT_ID, CLIENT_SECRET),
            'content-type': 'application/x-www-form-urlencoded',
          },
          payload: `token=${encodeURIComponent(token)}`,
        })
      ).json<{ active: boolean }>().active;

    db.pragma('max_page_count = 1');
    const refused: string[] = [];
    for (const token of tokens) {
      const response = await revoke(token);
      expectSuccessOr503(response);
      if (response.statusCode === 503) refused.push(token);
      // Either revoked and recorded, or neither.
      else expect(await introspect(token)).toBe(false);
    }
    expect(refused.length).toBeGreaterThan(0);
    for (const token of refused) expect(await introspect(token)).toBe(true);

    db.pragma(`max_page_count = ${NO_LIMIT}`);
    for (const token of refused) {
      expect((await revoke(token)).statusCode).toBe(200);
      expect(await introspect(token)).toBe(false);
    }
    const records = (
      await ras.inject({
        method: 'GET',
        url: '/admin/api/audit?type=token.revocation&limit=1000',
        headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
      })
    ).json<{ events: unknown[] }>().events;
    expect(records).toHaveLength(tokens.length);
  }, 60_000);
});
