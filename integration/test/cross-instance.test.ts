/**
 * Two instances of each role on one PostgreSQL server, behind HAProxy (the stack of `pnpm start:scaled`): what must
 * be shared holds across instances. Each test aims its requests at one instance or the other (or at the balancer)
 * and checks the outcome the single-instance apps guarantee. The last test kills one instance of each role.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  attemptSignIn,
  exchangeAt,
  field,
  jwtClaims,
  jwtKid,
  redeemAt,
  refreshAt,
  signInAt,
} from '../src/scaled/instance-flows.js';
import { callListTickets } from '../src/scaled/mcp-call.js';
import { type ScaledWorld, startScaledWorld } from '../src/scaled/scaled-world.js';

const ALICE = { username: 'alice', password: 'alice-password' };
const BOB = { username: 'bob', password: 'bob-password' };

let world: ScaledWorld;
const url = (name: string): string => world.instance(name).localUrl;
const target = (scope = 'tickets.read') => ({ ras: world.ras, resource: world.mcpResource, scope });
const mcpAt = (name: string): string => new URL('/mcp', url(name)).toString();

async function admin(base: string, token: string, method: string, path: string, body?: unknown): Promise<Response> {
  return fetch(new URL(path, base), {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

/**
 * Runs `attempt` until it returns a value `done` accepts, for at most `ms`: a change made on one instance reaches the
 * others' in-memory caches through LISTEN/NOTIFY within milliseconds, and the issue bounds it at a second. Each
 * attempt is one real request; the last answer is returned either way, for the assertion to show.
 */
async function within<T>(ms: number, attempt: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await attempt();
    if (done(value) || Date.now() >= deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

beforeAll(async () => {
  world = await startScaledWorld();
}, 180_000);

afterAll(async () => {
  await world?.stop();
}, 60_000);

describe('the scaled stack: two instances of each role on PostgreSQL', () => {
  it('[SCALED-JTI-SINGLE-USE] 50 concurrent redemptions of one ID-JAG spread over both RAS instances: exactly one succeeds', async () => {
    const { idToken } = await signInAt(world.idp, world.agentHost, ALICE);
    const idJag = field(await exchangeAt(world.idp, idToken, target()), 'access_token');
    const attempts = await Promise.all(
      Array.from({ length: 50 }, (_, index) =>
        redeemAt(url(index % 2 === 0 ? 'authorization-server-1' : 'authorization-server-2'), idJag),
      ),
    );
    expect(attempts.filter((answer) => answer.status === 200)).toHaveLength(1);
    const refused = attempts.filter((answer) => answer.status !== 200);
    expect(refused).toHaveLength(49);
    for (const answer of refused) expect(answer).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
  });

  it('[SCALED-REFRESH-REUSE] a refresh token rotated on one IdP instance and replayed on the other revokes the family', async () => {
    const { refreshToken } = await signInAt(url('idp-1'), world.agentHost, ALICE);
    expect(refreshToken).toBeTypeOf('string');
    const rotated = await refreshAt(url('idp-1'), refreshToken ?? '');
    const next = field(rotated, 'refresh_token');
    expect(next).not.toBe(refreshToken);
    // RFC 9700 §4.14.2: the old token again, on the other instance, is reuse.
    expect(await refreshAt(url('idp-2'), refreshToken ?? '')).toMatchObject({
      status: 400,
      body: { error: 'invalid_grant' },
    });
    // The whole family is revoked: the token the rotation issued no longer works, on either instance.
    expect(await refreshAt(url('idp-1'), next)).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    expect(await refreshAt(url('idp-2'), next)).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
  });

  it('[SCALED-POLICY-CHANGE] a policy change made on one IdP instance applies on the other at its next exchanges, within a second', async () => {
    const { idToken } = await signInAt(world.idp, world.agentHost, BOB);
    expect((await exchangeAt(url('idp-2'), idToken, target())).status).toBe(200);
    const resources = (await (
      await admin(url('idp-1'), world.idpAdminToken, 'GET', '/admin/api/resources')
    ).json()) as {
      id: string;
      resource: string;
    }[];
    const tickets = resources.find((resource) => resource.resource === world.mcpResource);
    expect(tickets).toBeDefined();
    const rule = {
      id: 'scaled-sales-denied',
      description: 'Sales may no longer reach Acme Tickets',
      effect: 'deny',
      subjectType: 'group',
      subject: 'sales',
      resourceId: tickets?.id,
      scopes: ['tickets.read'],
    };
    expect((await admin(url('idp-1'), world.idpAdminToken, 'POST', '/admin/api/policy-rules', rule)).status).toBe(201);
    try {
      const denied = await within(
        1_000,
        () => exchangeAt(url('idp-2'), idToken, target()),
        (a) => a.status !== 200,
      );
      expect(denied.status).toBe(400);
      expect(denied.body.error).toMatch(/^(invalid_target|access_denied|invalid_scope)$/);
    } finally {
      const removed = await admin(url('idp-1'), world.idpAdminToken, 'DELETE', `/admin/api/policy-rules/${rule.id}`);
      expect(removed.status).toBe(204);
    }
    const restored = await within(
      1_000,
      () => exchangeAt(url('idp-2'), idToken, target()),
      (a) => a.status === 200,
    );
    expect(restored.status).toBe(200);
  });

  it('[SCALED-KEY-ROTATION] a key rotated on one instance signs on both and is accepted by both RAS and both MCP servers', async () => {
    const { idToken } = await signInAt(world.idp, world.agentHost, ALICE);
    // The IdP's key, rotated on idp-1: idp-2 signs with it, both publish the same JWKS, both RAS instances accept.
    const idpRotation = await admin(url('idp-1'), world.idpAdminToken, 'POST', '/admin/api/signing-keys/rotate');
    expect(idpRotation.status).toBe(200);
    const { kid: idpKid } = (await idpRotation.json()) as { kid: string };
    const exchangeAtIdp2 = async () => field(await exchangeAt(url('idp-2'), idToken, target()), 'access_token');
    const first = await within(1_000, exchangeAtIdp2, (idJag) => jwtKid(idJag) === idpKid);
    const idJags = [first, await exchangeAtIdp2()];
    for (const idJag of idJags) expect(jwtKid(idJag)).toBe(idpKid);
    const jwks = await Promise.all(
      ['idp-1', 'idp-2'].map(async (name) => (await fetch(new URL('/jwks', url(name)))).json()),
    );
    expect(jwks[0]).toEqual(jwks[1]);
    const redeemed = await Promise.all([
      redeemAt(url('authorization-server-1'), idJags[0] ?? ''),
      redeemAt(url('authorization-server-2'), idJags[1] ?? ''),
    ]);
    for (const answer of redeemed) expect(answer.status).toBe(200);

    // The RAS's key, rotated on authorization-server-1: authorization-server-2 signs with it, both MCP servers accept.
    const rasRotation = await admin(
      url('authorization-server-1'),
      world.rasAdminToken,
      'POST',
      '/admin/api/keys/rotate',
    );
    expect(rasRotation.status).toBe(200);
    const { kid: rasKid } = (await rasRotation.json()) as { kid: string };
    const accessTokenFromRas2 = async () => {
      const idJag = field(await exchangeAt(world.idp, idToken, target()), 'access_token');
      return field(await redeemAt(url('authorization-server-2'), idJag), 'access_token');
    };
    await within(1_000, accessTokenFromRas2, (token) => jwtKid(token) === rasKid);
    for (const mcp of ['mcp-server-1', 'mcp-server-2']) {
      const accessToken = await accessTokenFromRas2();
      expect(jwtKid(accessToken)).toBe(rasKid);
      expect(await callListTickets(mcpAt(mcp), accessToken)).toEqual({ status: 200, ok: true });
    }
  });

  it('[SCALED-SIGN-IN-THROTTLE] a sign-in throttle tripped on one IdP instance holds on the other', async () => {
    const carol = { username: 'carol', password: 'carol-password' };
    // The limit is 5 failures per (username, address): all five on idp-1, none refused yet.
    for (let attempt = 0; attempt < 5; attempt += 1) {
      expect(await attemptSignIn(url('idp-1'), world.agentHost, carol.username, 'wrong')).not.toBe(429);
    }
    // Tripped on idp-1, it holds on idp-2: even the right password waits, on either instance.
    expect(await attemptSignIn(url('idp-2'), world.agentHost, carol.username, carol.password)).toBe(429);
    expect(await attemptSignIn(url('idp-1'), world.agentHost, carol.username, carol.password)).toBe(429);
  });

  it("[SCALED-NO-LOST-RECORD] killing one instance of each role mid-load loses no answered request's record", async () => {
    const { idToken } = await signInAt(world.idp, world.agentHost, ALICE);
    const answered = { exchanges: [] as string[], redemptions: [] as string[], toolCalls: [] as string[] };
    const deadline = Date.now() + 8_000;
    const worker = async (): Promise<void> => {
      while (Date.now() < deadline) {
        try {
          const exchange = await exchangeAt(world.idp, idToken, target());
          if (exchange.status !== 200) continue;
          const idJag = field(exchange, 'access_token');
          answered.exchanges.push(String(jwtClaims(idJag).jti));
          const redemption = await redeemAt(world.ras, idJag);
          if (redemption.status !== 200) continue;
          answered.redemptions.push(String(jwtClaims(idJag).jti));
          const accessToken = field(redemption, 'access_token');
          const call = await callListTickets(world.mcpResource, accessToken);
          if (call.ok) answered.toolCalls.push(String(jwtClaims(accessToken).jti));
        } catch {
          // A connection cut by the kill: not an answered request.
        }
      }
    };
    const load = Promise.all(Array.from({ length: 16 }, worker));
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    for (const name of ['idp-1', 'authorization-server-1', 'mcp-server-1']) world.instance(name).process.kill();
    await load;
    // The load went on through the surviving instances after the kill.
    expect(answered.toolCalls.length).toBeGreaterThan(20);

    const recorded = async (
      role: 'idp' | 'authorization-server' | 'mcp-server',
      type: string,
    ): Promise<Set<string>> => {
      const client = new pg.Client({ connectionString: world.databaseUrl(role) });
      await client.connect();
      try {
        // Each role keeps its tables in a schema of its own (roles may share a database): find its audit log.
        const tables = await client.query<{ schema: string }>(
          "SELECT table_schema AS schema FROM information_schema.tables WHERE table_name = 'audit_log'",
        );
        expect(tables.rows, `one audit_log in the ${role} database`).toHaveLength(1);
        const schema = tables.rows[0]?.schema ?? '';
        expect(schema).toMatch(/^[a-z_][a-z0-9_]*$/);
        const { rows } = await client.query<{ jti: string }>(`SELECT jti FROM ${schema}.audit_log WHERE type = $1`, [
          type,
        ]);
        return new Set(rows.map((row) => row.jti));
      } finally {
        await client.end();
      }
    };
    const missing = (jtis: readonly string[], records: Set<string>) => jtis.filter((jti) => !records.has(jti));
    expect(missing(answered.exchanges, await recorded('idp', 'id_jag.exchange'))).toEqual([]);
    expect(missing(answered.redemptions, await recorded('authorization-server', 'jwt_bearer.redemption'))).toEqual([]);
    expect(missing(answered.toolCalls, await recorded('mcp-server', 'mcp.tool_call'))).toEqual([]);
  }, 60_000);
});
