import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';
import { loadAgentHostConfig } from '../src/config.js';

const ISSUER = 'http://127.0.0.1:9100';

/** A fake IdP discovery document, served through the injected fetch. */
const fakeIdp = async (input: string | URL): Promise<Response> => {
  const url = String(input);
  if (url === `${ISSUER}/.well-known/openid-configuration`) {
    return Response.json({
      issuer: ISSUER,
      authorization_endpoint: `${ISSUER}/authorize`,
      token_endpoint: `${ISSUER}/token`,
      jwks_uri: `${ISSUER}/jwks`,
      end_session_endpoint: `${ISSUER}/logout`,
      response_types_supported: ['code'],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: ['ES256'],
    });
  }
  return new Response('not found', { status: 404 });
};

let app: FastifyInstance | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

async function start(clock = { now: Date.now() }) {
  const config = loadAgentHostConfig({
    dataDir: mkdtempSync(join(tmpdir(), 'agent-host-app-')),
    idp: { issuer: ISSUER },
    allowInsecureLoopback: true,
  });
  app = await buildApp(config, { fetch: fakeIdp, now: () => clock.now, logger: false });
  return app;
}

function newSession(instance: FastifyInstance, ttlSeconds = 3600, name = 'Alice <script>alert(1)</script>') {
  const context = instance.agentHost;
  if (!context) throw new Error('no context');
  const id = context.sessions.create(
    {
      userKey: `${ISSUER}|alice`,
      subject: 'alice',
      name,
      email: 'alice@acme.example',
      idToken: 'header.payload.signature',
      idTokenExpiresAt: context.now() + 600_000,
      refreshToken: 'rt',
    },
    ttlSeconds,
  );
  return { cookie: `ema_session=${instance.signCookie(id)}`, id };
}

describe('agent host app', () => {
  it('serves /healthz', async () => {
    const instance = await start();
    const response = await instance.inject({ url: '/healthz' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ok' });
  });

  it('[AGENT-OIDC-PKCE-NONCE] starts sign-in with PKCE S256, state and nonce, bound to an HttpOnly Lax cookie', async () => {
    const instance = await start();
    const response = await instance.inject({ url: '/auth/signin' });
    expect(response.statusCode).toBe(302);
    const location = new URL(response.headers.location as string);
    expect(location.origin + location.pathname).toBe(`${ISSUER}/authorize`);
    expect(location.searchParams.get('client_id')).toBe('agent-host');
    expect(location.searchParams.get('response_type')).toBe('code');
    expect(location.searchParams.get('redirect_uri')).toBe('http://localhost:3000/auth/callback');
    expect(location.searchParams.get('code_challenge_method')).toBe('S256');
    expect(location.searchParams.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(location.searchParams.get('state')?.length).toBeGreaterThanOrEqual(32);
    expect(location.searchParams.get('nonce')?.length).toBeGreaterThanOrEqual(32);
    expect(location.searchParams.get('scope')).toBe('openid profile email offline_access');
    const cookie = String(response.headers['set-cookie']);
    expect(cookie).toMatch(/^ema_login=/);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
  });

  it('[AGENT-OIDC-PKCE-NONCE] refuses a callback from a browser that did not start the sign-in', async () => {
    const instance = await start();
    const response = await instance.inject({ url: '/auth/callback?code=abc&state=xyz' });
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toMatch(/^\/\?error=/);
    expect(response.headers['set-cookie'] ?? '').not.toMatch(/ema_session=[^;]/);
  });

  it('[AGENT-SESSION-SIGN-OUT] redirects protected pages to sign-in without a session', async () => {
    const instance = await start();
    for (const url of ['/servers', '/servers/acme-tickets', '/inspector']) {
      const response = await instance.inject({ url });
      expect(response.statusCode).toBe(303);
      expect(response.headers.location).toBe('/');
    }
    const home = await instance.inject({ url: '/' });
    expect(home.body).toContain('Sign in with your organization');
  });

  it('[AGENT-SESSION-SIGN-OUT] says so when the session has expired', async () => {
    const clock = { now: Date.UTC(2030, 0, 1) };
    const instance = await start(clock);
    const { cookie } = newSession(instance, 60);
    expect((await instance.inject({ url: '/servers', headers: { cookie } })).statusCode).toBe(200);
    clock.now += 61_000;
    const response = await instance.inject({ url: '/servers', headers: { cookie } });
    expect(response.headers.location).toBe('/?expired=1');
    const home = await instance.inject({ url: '/?expired=1' });
    expect(home.body).toContain('data-testid="session-expired"');
  });

  it("[HTML-CSRF-BOUND-TOKEN] refuses a form without the session-bound CSRF token, or with another session's", async () => {
    const instance = await start();
    const { cookie } = newSession(instance);
    const other = newSession(instance);
    const page = await instance.inject({ url: '/servers', headers: { cookie: other.cookie } });
    const foreign = /name="csrf_token" value="([^"]+)"/.exec(page.body)?.[1] ?? '';
    expect(foreign).not.toBe('');
    for (const payload of ['', `csrf_token=${encodeURIComponent(foreign)}`]) {
      const response = await instance.inject({
        method: 'POST',
        url: '/auth/signout',
        headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
        payload,
      });
      expect(response.statusCode).toBe(403);
    }
  });

  it('answers a form with a repeated parameter 400, as every form endpoint of the repository does', async () => {
    const instance = await start();
    const { cookie } = newSession(instance);
    const response = await instance.inject({
      method: 'POST',
      url: '/auth/signout',
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'csrf_token=a&csrf_token=b',
    });
    expect(response.statusCode).toBe(400);
  });

  it('[AGENT-SESSION-SIGN-OUT] signs out: session gone, cookie cleared, then the IdP end-session endpoint', async () => {
    const instance = await start();
    const { cookie } = newSession(instance);
    const page = await instance.inject({ url: '/servers', headers: { cookie } });
    const csrf = /name="csrf_token" value="([^"]+)"/.exec(page.body)?.[1] ?? '';
    const response = await instance.inject({
      method: 'POST',
      url: '/auth/signout',
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: `csrf_token=${encodeURIComponent(csrf)}`,
    });
    expect(response.statusCode).toBe(303);
    const location = new URL(response.headers.location as string);
    expect(location.origin + location.pathname).toBe(`${ISSUER}/logout`);
    expect(location.searchParams.get('post_logout_redirect_uri')).toBe('http://localhost:3000/');
    expect(String(response.headers['set-cookie'])).toMatch(/ema_session=;/);
    const after = await instance.inject({ url: '/servers', headers: { cookie } });
    expect(after.headers.location).toBe('/?expired=1');
  });

  it('[AGENT-CSRF] refuses POST forms without the session CSRF token', async () => {
    const instance = await start();
    const { cookie } = newSession(instance);
    for (const url of ['/servers/acme-tickets/connect', '/auth/signout', '/servers/acme-tickets/tools/whoami']) {
      const response = await instance.inject({
        method: 'POST',
        url,
        headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
        payload: '_csrf=wrong',
      });
      expect(response.statusCode).toBe(403);
    }
  });

  it('[AGENT-HTML-ESCAPE] escapes what it renders', async () => {
    const instance = await start();
    const { cookie } = newSession(instance);
    const page = await instance.inject({ url: '/servers', headers: { cookie } });
    expect(page.body).toContain('Alice &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(page.body).not.toContain('<script>');
    expect(page.headers['content-security-policy']).toContain("default-src 'none'");
  });

  it('[AGENT-UNREACHABLE] shows an unreachable IdP at sign-in as such', async () => {
    const config = loadAgentHostConfig({
      dataDir: mkdtempSync(join(tmpdir(), 'agent-host-app-')),
      idp: { issuer: 'http://127.0.0.1:9' },
      allowInsecureLoopback: true,
      httpTimeoutMs: 1000,
    });
    app = await buildApp(config, { logger: false });
    const response = await app.inject({ url: '/auth/signin' });
    expect(response.headers.location).toBe('/?error=idp-unreachable');
    expect((await app.inject({ url: '/?error=idp-unreachable' })).body).toContain('data-testid="unreachable"');
  });
});
