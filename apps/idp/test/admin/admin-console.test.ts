import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { IdpApp } from '../../src/app.js';
import { CookieJar, hiddenField, submitLogin } from '../support/browser.js';
import { form, startIdp } from '../support/test-app.js';

let app: IdpApp;
beforeEach(async () => {
  ({ app } = await startIdp());
});
afterEach(async () => {
  await app.close();
});

async function consoleSignIn(username: string): Promise<CookieJar> {
  const jar = new CookieJar();
  const page = await app.inject({ method: 'GET', url: '/login?return_to=%2Fadmin%2Fusers' });
  jar.store(page);
  const login = await submitLogin(app, jar, page.body, username, `${username}-password`);
  expect(login.statusCode).toBe(302);
  expect(login.headers.location).toBe('/admin/users');
  return jar;
}

async function get(jar: CookieJar, url: string) {
  return app.inject({ method: 'GET', url, headers: { cookie: jar.header() } });
}

async function post(jar: CookieJar, url: string, fields: Record<string, string>) {
  return app.inject({
    method: 'POST',
    url,
    headers: { cookie: jar.header(), 'content-type': 'application/x-www-form-urlencoded' },
    payload: form(fields),
  });
}

describe('admin console', () => {
  it('[IDP-ADMIN-AUTH] sends an anonymous visitor to the sign-in page and back', async () => {
    const response = await app.inject({ method: 'GET', url: '/admin' });
    expect(response.statusCode).toBe(302);
    expect(response.headers.location).toBe('/login?return_to=%2Fadmin');
    const jar = await consoleSignIn('admin');
    const home = await get(jar, '/admin');
    expect(home.statusCode).toBe(200);
    expect(home.body).toContain('<h1>Admin console</h1>');
  });

  it('[IDP-ADMIN-AUTH] refuses a signed-in user who is not in it-admins with a 403 page', async () => {
    const jar = await consoleSignIn('alice');
    const response = await get(jar, '/admin/users');
    expect(response.statusCode).toBe(403);
    expect(response.body).toContain('Only members of it-admins may use the admin console.');
  });

  it('[IDP-CSRF-ADMIN] creates a user with the form, and refuses the form without the CSRF token', async () => {
    const jar = await consoleSignIn('admin');
    const page = await get(jar, '/admin/users');
    const csrf = hiddenField(page.body, 'csrf_token') ?? '';
    const fields = {
      username: 'dave',
      password: 'dave-password',
      name: 'Dave Doe',
      email: 'dave@acme.example',
      groups: 'engineering',
    };
    expect((await post(jar, '/admin/users', fields)).statusCode).toBe(403);
    const created = await post(jar, '/admin/users', { ...fields, csrf_token: csrf });
    expect(created.statusCode).toBe(303);
    expect(created.headers.location).toBe('/admin/users?done=created');
    expect(app.idp.storage.findUserByUsername('dave')?.groups).toEqual(['engineering']);
    expect(app.idp.audit.query({ type: 'admin.user.create' })[0]).toMatchObject({ actor: 'admin', outcome: 'success' });
    const duplicate = await post(jar, '/admin/users', { ...fields, csrf_token: csrf });
    expect(duplicate.statusCode).toBe(400);
    expect(duplicate.body).toContain('user dave already exists');
  });

  it('[IDP-ADMIN-WHAT-IF] answers "what if" with the decision and explanation, minting nothing', async () => {
    const jar = await consoleSignIn('admin');
    const before = app.idp.audit.query({ type: 'id_jag.exchange' }).length;
    const query = form({
      username: 'bob',
      clientId: 'agent-host',
      resource: 'http://localhost:3300/mcp',
      scope: 'tickets.read tickets.write',
    });
    const response = await get(jar, `/admin/what-if?${query}`);
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('Decision: <span class="ok">allow</span>');
    expect(response.body).toContain('Dropped tickets.write: no matching allow rule grants it.');
    expect(app.idp.audit.query({ type: 'id_jag.exchange' }).length).toBe(before);
  });

  it('[IDP-ADMIN-KEY-ROTATION] rotates the signing key from the console; the old kid stays published', async () => {
    const jar = await consoleSignIn('admin');
    const oldKid = app.idp.keyStore.signer().kid;
    const page = await get(jar, '/admin/keys');
    const rotated = await post(jar, '/admin/keys/rotate', { csrf_token: hiddenField(page.body, 'csrf_token') ?? '' });
    expect(rotated.statusCode).toBe(303);
    const kids = (await app.inject({ method: 'GET', url: '/jwks' })).json().keys.map((key: { kid: string }) => key.kid);
    expect(kids).toContain(oldKid);
    expect(kids).toContain(app.idp.keyStore.signer().kid);
    expect(app.idp.keyStore.signer().kid).not.toBe(oldKid);
  });

  it('[IDP-AUDIT-EXPORT] shows the audit log with filters and exports it as JSON lines', async () => {
    const jar = await consoleSignIn('admin');
    const filtered = await get(jar, '/admin/audit?type=sign_in');
    expect(filtered.statusCode).toBe(200);
    expect(filtered.body).toContain('<code>sign_in</code>');
    expect(filtered.body).not.toContain('<code>seed.demo_world</code>');
    const exported = await get(jar, '/admin/audit/export');
    expect(exported.headers['content-type']).toContain('application/x-ndjson');
    const lines = exported.body
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(lines[0]).toMatchObject({ type: 'seed.demo_world' });
  });

  it('renders every console page for an admin', async () => {
    const jar = await consoleSignIn('admin');
    for (const path of [
      '/admin/users',
      '/admin/groups',
      '/admin/clients',
      '/admin/resources',
      '/admin/policy',
      '/admin/what-if',
      '/admin/audit',
      '/admin/keys',
    ]) {
      expect((await get(jar, path)).statusCode, path).toBe(200);
    }
  });

  it('registers a client with its id at a RAS and shows the secret once', async () => {
    const jar = await consoleSignIn('admin');
    const page = await get(jar, '/admin/clients');
    const response = await post(jar, '/admin/clients', {
      csrf_token: hiddenField(page.body, 'csrf_token') ?? '',
      clientId: 'new-agent',
      name: 'New agent',
      redirectUris: 'http://localhost:5000/callback',
      rasClientIds: 'http://localhost:3200 = new-agent-at-ras',
      mayRequestIdJag: 'on',
    });
    expect(response.statusCode).toBe(200);
    expect(response.body).toMatch(/<pre id="client-secret">[A-Za-z0-9_-]{43}<\/pre>/);
    expect(app.idp.storage.findClient('new-agent')?.rasClientIds).toEqual({
      'http://localhost:3200': 'new-agent-at-ras',
    });
  });
});
