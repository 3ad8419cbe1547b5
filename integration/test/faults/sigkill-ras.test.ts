/**
 * SIGKILL of the RAS mid-load, then a restart on the same data directory. Every redemption answered 200 before the
 * crash has its consumed `jti` and its audit record in the database file, its ID-JAG stays refused after the restart,
 * and the access token it returned still verifies (the signing key survived too). Every RFC 7009 revocation answered
 * 200 before the crash has its revocation and audit record, and its Security Event for the MCP server in the
 * revocation chain's durable outbox: delivered once the receiver is back, after the restart.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mintIdJag } from '@ema/jwt';
import { GRANT_TYPE_JWT_BEARER } from '@ema/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CrashableApp, startCrashableApp } from '../../src/faults/crashable-app.js';
import { type EventSink, startEventSink } from '../../src/faults/event-sink.js';
import { type KeyServer, startKeyServer } from '../../src/faults/key-server.js';
import { crashPoint, loadUntilCrash } from '../../src/faults/load.js';
import { openReadOnly } from '../../src/faults/read-only-database.js';
import { freePort } from '../../src/free-port.js';

const CLIENT = `Basic ${Buffer.from('acme-agent-host:acme-agent-host-dev-secret').toString('base64')}`;
const RESOURCE = 'http://localhost:3300/mcp';
const UNLIMITED = String(1_000_000_000);

interface Redeemed {
  jti: string;
  assertion: string;
  accessToken: string;
}

describe('SIGKILL of the RAS', () => {
  let idp: KeyServer;
  let ras: CrashableApp;
  let dataDir: string;
  // Acme Tickets' Security Event receiver: down (503) until the last test brings it back.
  let mcpReceiver: EventSink;

  beforeAll(async () => {
    idp = await startKeyServer();
    mcpReceiver = await startEventSink();
    dataDir = mkdtempSync(join(tmpdir(), 'ema-fault-ras-'));
    const port = await freePort();
    ras = await startCrashableApp('authorization-server', {
      port,
      env: {
        RAS_HOST: '127.0.0.1',
        RAS_ISSUER: `http://127.0.0.1:${port}`,
        RAS_DATA_DIR: dataDir,
        RAS_LOG_LEVEL: 'warn',
        RAS_TRUSTED_IDP_ISSUER: idp.issuer,
        RAS_TRUSTED_IDP_JWKS_URI: idp.jwksUri,
        RAS_DEMO_MCP_RESOURCE: RESOURCE,
        RAS_DEMO_MCP_EVENTS_ENDPOINT: mcpReceiver.endpoint,
        RAS_SSF_RETRY_MAX_DELAY_MS: '500',
        RAS_TOKEN_RATE_LIMIT_PER_ADDRESS: UNLIMITED,
        RAS_TOKEN_RATE_LIMIT_PER_CLIENT: UNLIMITED,
      },
    });
  }, 90_000);
  afterAll(async () => {
    await ras?.stop();
    await idp?.close();
    await mcpReceiver?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  const tokenRequest = (params: Record<string, string>, path = '/token') =>
    fetch(`${ras.url}${path}`, {
      method: 'POST',
      headers: { authorization: CLIENT, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(params),
    });

  let sequence = 0;
  async function mint(): Promise<{ jti: string; assertion: string }> {
    const now = Math.floor(Date.now() / 1000);
    sequence += 1;
    const jti = `fault-${sequence}-${now}`;
    const assertion = await mintIdJag(
      {
        iss: idp.issuer,
        sub: `user-${sequence % 7}`,
        aud: ras.url,
        client_id: 'acme-agent-host',
        jti,
        iat: now,
        exp: now + 600,
        resource: RESOURCE,
        scope: 'tickets.read',
        email: `user-${sequence % 7}@acme.example`,
      },
      idp.signer,
    );
    return { jti, assertion };
  }

  it('[FAULT-SIGKILL-DURABLE] [FAULT-SIGKILL-REPLAY-REFUSED] every redemption answered before the crash has its consumed jti and audit record, and its ID-JAG stays refused after the restart', async () => {
    const load = await loadUntilCrash<Redeemed>({
      concurrency: 16,
      crashAfter: crashPoint('ras', 40, 400),
      crash: () => ras.crash(),
      request: async () => {
        const { jti, assertion } = await mint();
        const response = await tokenRequest({ grant_type: GRANT_TYPE_JWT_BEARER, assertion });
        const body = (await response.json()) as { access_token?: string };
        if (response.status !== 200 || body.access_token === undefined) return undefined;
        return { jti, assertion, accessToken: body.access_token };
      },
    });
    expect(load.refused).toBe(0);
    expect(load.succeeded.length).toBeGreaterThan(0);

    await ras.restart();
    const db = openReadOnly(join(dataDir, 'authorization-server.sqlite'));
    try {
      const consumed = db.prepare<[string, string], { one: number }>(
        'SELECT 1 AS one FROM consumed_jtis WHERE iss = ? AND jti = ?',
      );
      const allowed = db.prepare<[string], { one: number }>(
        "SELECT 1 AS one FROM audit_log WHERE type = 'jwt_bearer.redemption' AND outcome = 'allow' AND jti = ?",
      );
      for (const { jti } of load.succeeded) {
        expect(consumed.get(idp.issuer, jti), `consumed jti ${jti}`).toBeDefined();
        expect(allowed.get(jti), `audit record of ${jti}`).toBeDefined();
      }
    } finally {
      db.close();
    }
    // Through the API: each redeemed ID-JAG is a replay now, and the tokens issued before the crash still verify.
    for (const { assertion } of load.succeeded) {
      const replay = await tokenRequest({ grant_type: GRANT_TYPE_JWT_BEARER, assertion });
      expect(replay.status).toBe(400);
      expect(await replay.json()).toEqual({ error: 'invalid_grant' });
    }
    for (const { accessToken } of load.succeeded.slice(-5)) {
      const introspection = await tokenRequest({ token: accessToken }, '/introspect');
      expect(await introspection.json()).toMatchObject({ active: true });
    }
    // And the restarted RAS serves new redemptions.
    const fresh = await mint();
    expect((await tokenRequest({ grant_type: GRANT_TYPE_JWT_BEARER, assertion: fresh.assertion })).status).toBe(200);
  }, 300_000);

  it('[FAULT-SIGKILL-DURABLE] every revocation answered before the crash is stored with its audit record, and its Security Event reaches the MCP server after the restart', async () => {
    // Access tokens to revoke, redeemed beforehand (one per revocation the load may send).
    const tokens: Array<{ jti: string; accessToken: string }> = [];
    for (let index = 0; index < 160; index += 1) {
      const response = await tokenRequest({ grant_type: GRANT_TYPE_JWT_BEARER, assertion: (await mint()).assertion });
      const accessToken = ((await response.json()) as { access_token: string }).access_token;
      const claims = JSON.parse(Buffer.from(accessToken.split('.')[1] ?? '', 'base64url').toString('utf8'));
      tokens.push({ jti: (claims as { jti: string }).jti, accessToken });
    }
    const load = await loadUntilCrash<{ jti: string; accessToken: string }>({
      concurrency: 16,
      crashAfter: crashPoint('ras revocations', 20, 120),
      crash: () => ras.crash(),
      request: async () => {
        const token = tokens.pop();
        if (token === undefined) throw new Error('no access token left to revoke');
        const response = await tokenRequest({ token: token.accessToken }, '/revoke');
        return response.status === 200 ? token : undefined;
      },
    });
    expect(load.refused).toBe(0);
    expect(load.succeeded.length).toBeGreaterThan(0);

    await ras.restart();
    const db = openReadOnly(join(dataDir, 'authorization-server.sqlite'));
    try {
      const recorded = db.prepare<[string], { one: number }>(
        "SELECT 1 AS one FROM audit_log WHERE type = 'token.revocation' AND outcome = 'success' AND jti = ?",
      );
      for (const { jti } of load.succeeded) expect(recorded.get(jti), `audit record of revoked ${jti}`).toBeDefined();
    } finally {
      db.close();
    }
    for (const { accessToken } of load.succeeded) {
      const introspection = await tokenRequest({ token: accessToken }, '/introspect');
      expect(await introspection.json()).toEqual({ active: false });
    }
    // The receiver comes back: the restarted RAS delivers every forwarded revocation from its outbox.
    mcpReceiver.accepting = true;
    const delivered = () => new Set(mcpReceiver.accepted.map((claims) => JSON.stringify(claims)));
    const deadline = Date.now() + 30_000;
    const missing = () => load.succeeded.filter(({ jti }) => ![...delivered()].some((text) => text.includes(jti)));
    while (missing().length > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(missing().map(({ jti }) => jti)).toEqual([]);
  }, 300_000);
});
