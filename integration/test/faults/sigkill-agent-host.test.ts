/**
 * SIGKILL of the agent host mid-load (16 people signing in at once through the real IdP, by SSO), then a restart on
 * the same data directory. Every sign-in answered with a session cookie before the crash has its session row in the
 * database file, and the cookie still opens the person's catalog after the restart: the sessions and the secret that
 * signs their cookies survive a crash.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CrashableApp, startCrashableApp } from '../../src/faults/crashable-app.js';
import { crashPoint, loadUntilCrash } from '../../src/faults/load.js';
import { openReadOnly } from '../../src/faults/read-only-database.js';
import { freePort } from '../../src/free-port.js';

type Jar = Map<string, string>;

function keep(jar: Jar, response: Response): void {
  for (const setCookie of response.headers.getSetCookie()) {
    const [pair = ''] = setCookie.split(';');
    const eq = pair.indexOf('=');
    jar.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
  }
}
const cookie = (jar: Jar): string => [...jar].map(([name, value]) => `${name}=${value}`).join('; ');

describe('SIGKILL of the agent host', () => {
  let idp: CrashableApp;
  let agent: CrashableApp;
  const dataRoot = mkdtempSync(join(tmpdir(), 'ema-fault-agent-'));

  beforeAll(async () => {
    const [idpPort, agentPort] = [await freePort(), await freePort()];
    const idpUrl = `http://127.0.0.1:${idpPort}`;
    const agentUrl = `http://127.0.0.1:${agentPort}`;
    idp = await startCrashableApp('idp', {
      port: idpPort,
      env: {
        IDP_HOST: '127.0.0.1',
        IDP_ISSUER: idpUrl,
        IDP_DATA_DIR: join(dataRoot, 'idp'),
        IDP_LOG_LEVEL: 'warn',
        IDP_DEMO_AGENT_HOST_URL: agentUrl,
      },
    });
    agent = await startCrashableApp('agent-host', {
      port: agentPort,
      env: {
        AGENT_HOST: '127.0.0.1',
        AGENT_BASE_URL: agentUrl,
        AGENT_DATA_DIR: join(dataRoot, 'agent-host'),
        AGENT_IDP_ISSUER: idpUrl,
        AGENT_LOG_LEVEL: 'warn',
      },
    });
  }, 300_000);
  afterAll(async () => {
    await agent?.stop();
    await idp?.stop();
    rmSync(dataRoot, { recursive: true, force: true });
  });

  /**
   * A sign-in at the agent host (OIDC code flow with the IdP): the agent host's session cookie, or `undefined`. The
   * IdP jar holds the SSO session after the first sign-in, which alone shows the password form.
   */
  async function signIn(idpJar: Jar): Promise<string | undefined> {
    const agentJar: Jar = new Map();
    const start = await fetch(`${agent.url}/auth/signin`, { redirect: 'manual' });
    keep(agentJar, start);
    const authorize = new URL(start.headers.get('location') ?? '');
    let atIdp = await fetch(authorize, { redirect: 'manual', headers: { cookie: cookie(idpJar) } });
    keep(idpJar, atIdp);
    if (atIdp.status === 200) {
      const fields: Record<string, string> = {};
      for (const input of (await atIdp.text()).matchAll(/<input[^>]*type="hidden"[^>]*>/g)) {
        const name = /name="([^"]*)"/.exec(input[0])?.[1];
        if (name !== undefined) fields[name] = (/value="([^"]*)"/.exec(input[0])?.[1] ?? '').replaceAll('&amp;', '&');
      }
      atIdp = await fetch(new URL('/login', authorize), {
        method: 'POST',
        redirect: 'manual',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          cookie: cookie(idpJar),
          origin: authorize.origin,
        },
        body: new URLSearchParams({ ...fields, username: 'alice', password: 'alice-password' }),
      });
      keep(idpJar, atIdp);
    }
    const callback = await fetch(atIdp.headers.get('location') ?? '', {
      redirect: 'manual',
      headers: { cookie: cookie(agentJar) },
    });
    keep(agentJar, callback);
    const session = agentJar.get('ema_session');
    return callback.status === 303 && session !== undefined && session !== '' ? session : undefined;
  }

  it('[FAULT-SIGKILL-DURABLE] every sign-in answered with a session before the crash has its session row, and its cookie still works after the restart', async () => {
    const idpJar: Jar = new Map();
    expect(await signIn(idpJar)).toBeDefined();
    const load = await loadUntilCrash<string>({
      concurrency: 16,
      crashAfter: crashPoint('agent-host', 20, 120),
      crash: () => agent.crash(),
      request: () => signIn(idpJar),
    });
    expect(load.refused).toBe(0);
    expect(load.succeeded.length).toBeGreaterThan(0);

    await agent.restart();
    // The cookie is `<id>.<signature>` (@fastify/cookie, signed with the secret kept in the data directory); the row
    // is keyed by the id's SHA-256.
    const idOf = (value: string): string => decodeURIComponent(value).split('.')[0] ?? '';
    const db = openReadOnly(join(dataRoot, 'agent-host', 'agent-host.sqlite'));
    try {
      const row = db.prepare<[string], { subject: string }>('SELECT subject FROM sessions WHERE id_hash = ?');
      for (const session of load.succeeded) {
        expect(row.get(createHash('sha256').update(idOf(session)).digest('base64url')), 'session row').toBeDefined();
      }
    } finally {
      db.close();
    }
    for (const session of load.succeeded) {
      const page = await fetch(`${agent.url}/`, { headers: { cookie: `ema_session=${session}` } });
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('<h1>MCP servers</h1>');
    }
  }, 300_000);
});
