import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { IdpApp } from '../../src/app.js';
import { CookieJar, submitLogin } from '../support/browser.js';
import { startIdp } from '../support/test-app.js';

let app: IdpApp;
beforeEach(async () => {
  ({ app } = await startIdp());
});
afterEach(async () => {
  await app.close();
});

const TOKEN = 'Bearer test-admin-api-token-0123456789abcdef';

function api(
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE',
  url: string,
  payload?: object,
  headers: Record<string, string> = { authorization: TOKEN },
) {
  return app.inject({ method, url: `/admin/api${url}`, headers, ...(payload === undefined ? {} : { payload }) });
}

describe('admin JSON API', () => {
  it('[IDP-ADMIN-AUTH] refuses calls without credentials, with a wrong token, and from a non-admin session', async () => {
    const none = await api('GET', '/users', undefined, {});
    expect(none.statusCode).toBe(401);
    expect(none.json()).toEqual({
      error: 'invalid_token',
      error_description: 'an admin API token or an admin session is required',
    });
    const wrong = await api('GET', '/users', undefined, { authorization: 'Bearer wrong' });
    expect(wrong.statusCode).toBe(401);
    const jar = new CookieJar();
    const page = await app.inject({ method: 'GET', url: '/login' });
    jar.store(page);
    await submitLogin(app, jar, page.body, 'alice', 'alice-password');
    const alice = await api('GET', '/users', undefined, { cookie: jar.header() });
    expect(alice.statusCode).toBe(403);
    expect(alice.json()).toEqual({
      error: 'access_denied',
      error_description: 'only members of it-admins may use the admin API',
    });
  });

  it('[IDP-CSRF-ADMIN] accepts an admin session cookie, requiring X-CSRF-Token on changes', async () => {
    const jar = new CookieJar();
    const page = await app.inject({ method: 'GET', url: '/login' });
    jar.store(page);
    await submitLogin(app, jar, page.body, 'admin', 'admin-password');
    expect((await api('GET', '/groups', undefined, { cookie: jar.header() })).statusCode).toBe(200);
    const refused = await api('POST', '/groups', { name: 'finance' }, { cookie: jar.header() });
    expect(refused.statusCode).toBe(403);
    const consolePage = await app.inject({ method: 'GET', url: '/admin/groups', headers: { cookie: jar.header() } });
    const csrf = /name="csrf_token" value="([^"]+)"/.exec(consolePage.body)?.[1] ?? '';
    const created = await api('POST', '/groups', { name: 'finance' }, { cookie: jar.header(), 'x-csrf-token': csrf });
    expect(created.statusCode).toBe(201);
  });

  it('[IDP-ADMIN-API] manages users, groups, clients, resources and policy rules, auditing each change', async () => {
    expect((await api('POST', '/groups', { name: 'finance', description: 'Finance' })).json()).toEqual({
      name: 'finance',
      description: 'Finance',
      members: [],
    });
    const user = await api('POST', '/users', {
      username: 'erin',
      password: 'erin-password',
      name: 'Erin',
      email: 'erin@acme.example',
      groups: ['finance'],
    });
    expect(user.statusCode).toBe(201);
    const erin = user.json();
    expect(erin).toMatchObject({ username: 'erin', groups: ['finance'], disabled: false });
    expect(erin.passwordHash).toBeUndefined();
    expect((await api('PATCH', `/users/${erin.id}`, { disabled: true })).json().disabled).toBe(true);

    const client = await api('POST', '/clients', {
      clientId: 'finance-agent',
      name: 'Finance agent',
      redirectUris: ['http://localhost:5000/cb'],
      mayRequestIdJag: true,
      rasClientIds: { 'http://localhost:3200': 'finance-at-ras' },
    });
    expect(client.statusCode).toBe(201);
    expect(client.json().clientSecret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(client.json().client.confidential).toBe(true);
    const badUri = await api('POST', '/clients', {
      clientId: 'x',
      name: 'x',
      redirectUris: ['http://evil.example/cb'],
      mayRequestIdJag: false,
      rasClientIds: {},
    });
    expect(badUri.statusCode).toBe(400);

    const resource = await api('POST', '/resources', {
      id: 'ledger',
      name: 'Ledger',
      audience: 'http://localhost:3200',
      resource: 'http://localhost:3400/mcp',
      scopes: ['ledger.read'],
    });
    expect(resource.statusCode).toBe(201);
    const rule = await api('POST', '/policy-rules', {
      id: 'finance-ledger',
      description: 'Finance reads the ledger',
      effect: 'allow',
      subjectType: 'group',
      subject: 'finance',
      clientId: 'finance-agent',
      resourceId: 'ledger',
      scopes: ['ledger.read'],
      maxAuthAgeSeconds: 3600,
    });
    expect(rule.statusCode).toBe(201);
    expect(rule.json()).toMatchObject({
      id: 'finance-ledger',
      clientId: 'finance-agent',
      maxAuthAgeSeconds: 3600,
      requiredAmr: null,
    });
    const badScope = await api('POST', '/policy-rules', {
      description: 'x',
      effect: 'allow',
      subjectType: 'group',
      subject: 'finance',
      resourceId: 'ledger',
      scopes: ['nope'],
    });
    expect(badScope.json()).toEqual({
      error: 'invalid_request',
      error_description: 'scopes: not offered by Ledger: nope',
    });
    expect((await api('DELETE', '/policy-rules/finance-ledger')).statusCode).toBe(204);
    expect((await api('DELETE', '/policy-rules/finance-ledger')).statusCode).toBe(404);

    const types = app.idp.audit
      .query({ limit: 20 })
      .filter((record) => record.type.startsWith('admin.'))
      .map((record) => record.type);
    expect(types).toEqual(
      expect.arrayContaining([
        'admin.group.create',
        'admin.user.create',
        'admin.user.update',
        'admin.client.create',
        'admin.resource.create',
        'admin.policy_rule.create',
        'admin.policy_rule.delete',
      ]),
    );
    expect(app.idp.audit.query({ type: 'admin.user.create' })[0]).toMatchObject({ actor: 'api-token' });
  });

  it('[IDP-ADMIN-WHAT-IF] explains a decision without minting', async () => {
    const response = await api('POST', '/what-if', {
      username: 'carol',
      clientId: 'agent-host',
      resource: 'http://localhost:3300/mcp',
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      decision: 'deny',
      wouldRespondWith: 'invalid_target',
      rasClientId: 'acme-agent-host',
      matchedRules: [{ id: 'contractors-no-tickets', effect: 'deny', outcome: 'applied' }],
    });
    const stale = await api('POST', '/what-if', {
      username: 'alice',
      clientId: 'agent-host',
      resource: 'http://localhost:3300/mcp',
      scope: 'tickets.read',
    });
    expect(stale.json()).toMatchObject({ decision: 'allow', grantedScopes: ['tickets.read'], wouldRespondWith: null });
  });

  it('[IDP-AUDIT-EXPORT] queries the audit log with filters and exports JSON lines', async () => {
    const { events } = (await api('GET', '/audit?type=seed.demo_world')).json();
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: 'seed.demo_world', outcome: 'info' });
    const exported = await api('GET', '/audit/export');
    expect(exported.headers['content-type']).toContain('application/jsonl');
    expect(JSON.parse(exported.body.split('\n')[0] ?? '')).toMatchObject({ type: 'seed.demo_world' });
  });

  it('[IDP-ADMIN-KEY-ROTATION] rotates the signing key; the retired kid stays in the JWKS', async () => {
    const before = (await api('GET', '/signing-keys')).json();
    const prePublished = app.idp.keyStore.nextKid();
    expect(before.nextKid).toBe(prePublished);
    const rotation = (await api('POST', '/signing-keys/rotate')).json();
    expect(rotation.retiredKid).toBe(before.currentKid);
    // The new current key is the one published before the rotation; a fresh next key is published beside it.
    expect(rotation.kid).toBe(prePublished);
    const jwks = (await app.inject({ method: 'GET', url: '/jwks' })).json();
    expect(jwks.keys.map((key: { kid: string }) => key.kid).sort()).toEqual(
      [rotation.kid, rotation.retiredKid, app.idp.keyStore.nextKid()].sort(),
    );
  });
});
