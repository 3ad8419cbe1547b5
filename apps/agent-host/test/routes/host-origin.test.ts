import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { loadAgentHostConfig } from '../../src/config.js';

const ISSUER = 'http://127.0.0.1:9100';

let app: FastifyInstance | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

async function start(): Promise<FastifyInstance> {
  const config = loadAgentHostConfig({
    dataDir: mkdtempSync(join(tmpdir(), 'agent-host-origin-')),
    idp: { issuer: ISSUER },
    allowInsecureLoopback: true,
  });
  app = await buildApp(config, { fetch: async () => new Response('no', { status: 404 }), logger: false });
  return app;
}

function signedIn(instance: FastifyInstance): { cookie: string } {
  const context = instance.agentHost;
  if (!context) throw new Error('no context');
  const id = context.sessions.create(
    {
      userKey: `${ISSUER}|alice`,
      subject: 'alice',
      name: 'Alice',
      email: 'alice@acme.example',
      idToken: 'header.payload.signature',
      idTokenExpiresAt: context.now() + 600_000,
      refreshToken: 'rt',
    },
    3600,
  );
  return { cookie: `ema_session=${instance.signCookie(id)}` };
}

describe('Host and Origin checks of the agent host', () => {
  it('[KIT-HOST-ORIGIN-CHECK] answers a rebound Host 421 with a page, before any route runs', async () => {
    const instance = await start();
    const response = await instance.inject({ url: '/', headers: { host: 'attacker.example:3000' } });
    expect(response.statusCode).toBe(421);
    expect(response.headers['content-type']).toMatch(/^text\/html/);
    expect((await instance.inject({ url: '/', headers: { host: 'localhost:3000' } })).statusCode).toBe(200);
  });

  it('[KIT-HOST-ORIGIN-CHECK] refuses a form posted from a foreign Origin with 403, even with a valid CSRF token', async () => {
    const instance = await start();
    const { cookie } = signedIn(instance);
    const page = await instance.inject({ url: '/servers', headers: { cookie } });
    const csrf = /name="csrf_token" value="([^"]+)"/.exec(page.body)?.[1] ?? '';
    const signOut = (origin: string) =>
      instance.inject({
        method: 'POST',
        url: '/auth/signout',
        headers: { cookie, origin, host: 'localhost:3000', 'content-type': 'application/x-www-form-urlencoded' },
        payload: `csrf_token=${encodeURIComponent(csrf)}`,
      });
    expect((await signOut('http://attacker.example')).statusCode).toBe(403);
    expect((await signOut('http://localhost:3100')).statusCode).toBe(403);
    expect((await signOut('http://localhost:3000')).statusCode).toBe(303);
  });
});
