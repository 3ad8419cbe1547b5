/**
 * The RAS built with `databaseUrl` (RAS_DATABASE_URL) on a fresh PostgreSQL database: two instances sharing it, as
 * behind a load balancer. What one does (a redemption, a key rotation), the other honours.
 */
import { decodeUnverified } from '@ema/jwt';
import { createTestDatabase } from '@ema/postgres-server/test-database';
import { openPostgresDatabase } from '@ema/storage/postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, type Rig, redeem, redemptionAudit, startRas, TestClock } from '../support/ras.js';
import { TestIdp } from '../support/test-idp.js';

let a: Rig;
let b: Rig;
let databaseUrl: string;
beforeAll(async () => {
  databaseUrl = await createTestDatabase('ras_app');
  const idp = await TestIdp.create();
  const clock = new TestClock();
  // One after the other, as a rolling start does: the second finds the registries seeded and the keys made.
  a = await startRas({ databaseUrl }, idp, clock);
  b = await startRas({ databaseUrl }, idp, clock);
});
afterAll(async () => {
  await a?.app.close();
  await b?.app.close();
});

/** Waits (at most a second) until `check` resolves true: a notice from the other instance arrives asynchronously. */
async function withinASecond(check: () => Promise<boolean>): Promise<boolean> {
  for (const started = Date.now(); Date.now() - started < 1000; ) {
    if (await check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return check();
}

const jwks = async (rig: Rig): Promise<unknown> => (await rig.app.inject('/jwks.json')).json();

describe('the RAS on PostgreSQL, two instances', () => {
  it('[RAS-PG-APP] redeems an ID-JAG (jwt-bearer) on one instance; its replay on the other is refused', async () => {
    const assertion = await a.idp.mint(a.clock.seconds);
    const first = await redeem(a.app, assertion);
    expect(first.statusCode).toBe(200);
    expect(first.json()).toMatchObject({ token_type: 'Bearer', scope: 'tickets.read tickets.write' });
    const replay = await redeem(b.app, assertion);
    expect(replay.statusCode).toBe(400);
    expect(replay.json()).toMatchObject({ error: 'invalid_grant' });
    // One audit log: the other instance lists both outcomes.
    const outcomes = (await redemptionAudit(b.app)).map((record) => record.outcome);
    expect(outcomes.slice(0, 2).sort()).toEqual(['allow', 'deny']);
  });

  it('[RAS-PG-APP] [RAS-PG-JTI-CONCURRENT] of 50 redemptions of one ID-JAG spread over both instances, exactly one succeeds', async () => {
    const assertion = await a.idp.mint(a.clock.seconds);
    const responses = await Promise.all(
      Array.from({ length: 50 }, (_, index) => redeem(index % 2 === 0 ? a.app : b.app, assertion)),
    );
    expect(responses.filter((response) => response.statusCode === 200)).toHaveLength(1);
    expect(responses.filter((response) => response.statusCode === 400)).toHaveLength(49);
  });

  it('[STORAGE-PG-RECONNECT] redeems on both instances after PostgreSQL dropped every connection of theirs, without a restart', async () => {
    // As a server restart or a failover would: every backend of this database ends (waiting until each has).
    const admin = openPostgresDatabase({ url: databaseUrl, schema: 'operator', migrations: [] });
    try {
      const { ended } = admin
        .prepare<[], { ended: number }>(
          `SELECT count(*) FILTER (WHERE pg_terminate_backend(pid, 5000))::int AS ended FROM pg_stat_activity
            WHERE datname = current_database() AND pid <> pg_backend_pid()`,
        )
        .get() ?? { ended: 0 };
      expect(ended).toBeGreaterThanOrEqual(2);
    } finally {
      admin.close();
    }
    for (const rig of [a, b]) {
      const response = await redeem(rig.app, await rig.idp.mint(rig.clock.seconds));
      expect(response.statusCode).toBe(200);
    }
  });

  it('[RAS-PG-KEY-ROTATION] a key rotated on one instance: both publish the same JWKS and sign with the new key within a second', async () => {
    expect(await jwks(b)).toEqual(await jwks(a));
    const rotated = await a.app.inject({
      method: 'POST',
      url: '/admin/api/keys/rotate',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    expect(rotated.statusCode).toBe(200);
    const { kid } = rotated.json<{ kid: string }>();
    expect(await withinASecond(async () => JSON.stringify(await jwks(b)) === JSON.stringify(await jwks(a)))).toBe(true);
    const response = await redeem(b.app, await b.idp.mint(b.clock.seconds));
    expect(response.statusCode).toBe(200);
    expect(decodeUnverified(response.json<{ access_token: string }>().access_token)?.header.kid).toBe(kid);
  });
});

describe('the RAS on PostgreSQL, a request whose text PostgreSQL cannot hold', () => {
  it('[RAS-PG-APP] [STORAGE-PG-NUL-LOOKUP] answers a client_id holding U+0000 as an unknown client, never a server error', async () => {
    for (const auth of [
      { method: 'basic', clientId: 'acme-agent-host\u0000', secret: 'x' },
      { method: 'post', clientId: 'acme-agent-host\u0000', secret: 'x' },
    ] as const) {
      const response = await redeem(b.app, await b.idp.mint(b.clock.seconds), [], auth);
      expect(response.statusCode).toBe(401);
      expect(response.json()).toMatchObject({ error: 'invalid_client' });
    }
  });

  it("[STORAGE-UNSTORABLE-TEXT-400] refuses a control character in an ID-JAG's identifiers or an admin's display name with the endpoint's own error, never a server error", async () => {
    for (const overrides of [{ jti: 'j\u0000' }, { sub: 'alice\u0000' }]) {
      const response = await redeem(a.app, await a.idp.mint(a.clock.seconds, overrides));
      expect(response.statusCode, JSON.stringify(overrides)).toBe(400);
      expect(response.json()).toMatchObject({ error: 'invalid_grant' });
    }
    const admin = (url: string, payload: object) =>
      a.app.inject({
        method: url === '/resources' ? 'PUT' : 'POST',
        url: `/admin/api${url}`,
        headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
        payload,
      });
    for (const [url, payload] of [
      ['/clients', { client_id: 'nul-client', name: 'N\u0000' }],
      ['/resources', { resource: 'https://nul.example/mcp', name: 'R\u0000', scopes: ['x'] }],
    ] as const) {
      const response = await admin(url, payload);
      expect(response.statusCode, url).toBe(400);
      expect(response.json()).toMatchObject({ error: 'invalid_request' });
    }
    expect((await admin('/clients', { client_id: 'nul-client', name: 'N' })).statusCode).toBe(201);
  });
});
