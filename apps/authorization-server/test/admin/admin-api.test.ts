import { AUTHORIZATION_DETAILS_TYPE_TICKETS } from '@ema/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, type Rig, redeem, startRas } from '../support/ras.js';
import { RESOURCE } from '../support/test-idp.js';

const auth = { authorization: `Bearer ${ADMIN_TOKEN}` };

describe('admin API', () => {
  let rig: Rig;
  beforeAll(async () => {
    rig = await startRas();
  });
  afterAll(() => rig.app.close());

  it('[RAS-ADMIN-API-AUTH] [RAS-RFC6750-3.1-ADMIN-NO-TOKEN] refuses requests without a bearer token, with no error code in the challenge', async () => {
    for (const headers of [{}, { authorization: `Basic ${ADMIN_TOKEN}` }]) {
      const response = await rig.app.inject({ method: 'GET', url: '/admin/api/clients', headers });
      expect(response.statusCode).toBe(401);
      expect(response.json()).toMatchObject({ error: 'invalid_token' });
      expect(response.headers['www-authenticate']).toBe('Bearer realm="ras-admin"');
    }
  });

  it('[RAS-ADMIN-API-AUTH] [RAS-RFC6750-3.1-ADMIN-INVALID-TOKEN] refuses a wrong bearer token with error="invalid_token" in the challenge', async () => {
    for (const token of ['wrong', `${ADMIN_TOKEN}x`]) {
      const response = await rig.app.inject({
        method: 'GET',
        url: '/admin/api/clients',
        headers: { authorization: `Bearer ${token}` },
      });
      expect(response.statusCode).toBe(401);
      expect(response.json()).toMatchObject({ error: 'invalid_token' });
      expect(response.headers['www-authenticate']).toBe('Bearer realm="ras-admin", error="invalid_token"');
    }
  });

  it('[RAS-ADMIN-API-AUTH] is disabled when no admin token is configured', async () => {
    const disabled = await startRas({ adminApiToken: null });
    try {
      expect(disabled.config.adminApiToken).toBeNull();
      const api = await disabled.app.inject({ method: 'GET', url: '/admin/api/clients', headers: auth });
      expect(api.statusCode).toBe(404);
      expect((await disabled.app.inject({ method: 'GET', url: '/admin' })).statusCode).toBe(404);
    } finally {
      await disabled.app.close();
    }
  });

  it('lists the seeded demo world', async () => {
    const idps = await rig.app.inject({ method: 'GET', url: '/admin/api/trusted-idps', headers: auth });
    expect(idps.json()).toEqual({
      trusted_idps: [
        {
          issuer: 'http://localhost:3100',
          jwks_uri: 'http://localhost:3100/jwks',
          algorithms: ['ES256'],
          tenants: [],
          created_at: expect.any(Number),
        },
      ],
    });
    const resources = await rig.app.inject({ method: 'GET', url: '/admin/api/resources', headers: auth });
    expect(resources.json()).toEqual({
      resources: [
        {
          resource: RESOURCE,
          name: 'Acme Tickets',
          scopes: ['tickets.read', 'tickets.write'],
          authorization_detail_types: [
            { type: AUTHORIZATION_DETAILS_TYPE_TICKETS, actions: ['read', 'create', 'update'], identifiers: true },
          ],
          created_at: expect.any(Number),
        },
      ],
    });
    const clients = await rig.app.inject({ method: 'GET', url: '/admin/api/clients', headers: auth });
    expect(clients.json()).toEqual({
      clients: [
        {
          client_id: 'acme-agent-host',
          name: 'Acme agent host',
          public: false,
          created_at: expect.any(Number),
          grants: [{ resource: RESOURCE, scopes: ['tickets.read', 'tickets.write'] }],
        },
      ],
    });
    expect(clients.body).not.toContain('secret');
  });

  it('[RAS-CLIENT-SECRET-HASHED] registers a client with a generated secret, shown once and stored hashed', async () => {
    const created = await rig.app.inject({
      method: 'POST',
      url: '/admin/api/clients',
      headers: auth,
      payload: { client_id: 'new-agent', name: 'New agent' },
    });
    expect(created.statusCode).toBe(201);
    expect(created.headers['cache-control']).toBe('no-store');
    const { client_secret: secret } = created.json<{ client_secret: string }>();
    expect(secret.length).toBeGreaterThanOrEqual(43);
    const { openRasStorage } = await import('../../src/storage/ras-storage.js');
    const side = openRasStorage(rig.config.dataDir);
    try {
      const stored = side.registry.findClient('new-agent');
      expect(stored?.secretHash).toMatch(/^sha256:/);
      expect(stored?.secretHash).not.toContain(secret);
    } finally {
      side.close();
    }
    const duplicate = await rig.app.inject({
      method: 'POST',
      url: '/admin/api/clients',
      headers: auth,
      payload: { client_id: 'new-agent', name: 'x' },
    });
    expect(duplicate.statusCode).toBe(400);
  });

  it('grants a client a resource, after which it can redeem ID-JAGs naming it', async () => {
    const created = await rig.app.inject({
      method: 'POST',
      url: '/admin/api/clients',
      headers: auth,
      payload: { client_id: 'granted-agent', name: 'Granted' },
    });
    const secret = created.json<{ client_secret: string }>().client_secret;
    const client = { method: 'basic', clientId: 'granted-agent', secret } as const;
    const before = await redeem(
      rig.app,
      await rig.idp.mint(rig.clock.seconds, { client_id: 'granted-agent' }),
      [],
      client,
    );
    expect(before.json()).toMatchObject({ error: 'invalid_target' });
    const grant = await rig.app.inject({
      method: 'PUT',
      url: '/admin/api/clients/granted-agent/grants',
      headers: auth,
      payload: { resource: RESOURCE, scopes: ['tickets.read'] },
    });
    expect(grant.json()).toEqual({ resource: RESOURCE, scopes: ['tickets.read'] });
    const after = await redeem(
      rig.app,
      await rig.idp.mint(rig.clock.seconds, { client_id: 'granted-agent' }),
      [],
      client,
    );
    expect(after.json()).toMatchObject({ scope: 'tickets.read' });
    const badScope = await rig.app.inject({
      method: 'PUT',
      url: '/admin/api/clients/granted-agent/grants',
      headers: auth,
      payload: { resource: RESOURCE, scopes: ['tickets.admin'] },
    });
    expect(badScope.statusCode).toBe(400);
    const rotated = await rig.app.inject({
      method: 'POST',
      url: '/admin/api/clients/granted-agent/secret',
      headers: auth,
    });
    expect(rotated.json<{ client_secret: string }>().client_secret).not.toBe(secret);
    const stale = await redeem(
      rig.app,
      await rig.idp.mint(rig.clock.seconds, { client_id: 'granted-agent' }),
      [],
      client,
    );
    expect(stale.statusCode).toBe(401);
  });

  it('[RAS-IDJAG-4.4.1-TRUSTED-ISSUER] adds and removes trusted IdPs; an issuer removed is no longer trusted', async () => {
    const refused = await rig.app.inject({
      method: 'PUT',
      url: '/admin/api/trusted-idps',
      headers: auth,
      payload: { issuer: 'http://localhost:3200', jwks_uri: 'http://localhost:3200/jwks.json' },
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.json()).toMatchObject({
      error: 'invalid_request',
      error_description: expect.stringContaining('own issuer'),
    });
    const hs = await rig.app.inject({
      method: 'PUT',
      url: '/admin/api/trusted-idps',
      headers: auth,
      payload: { issuer: 'https://idp2.example', jwks_uri: 'https://idp2.example/jwks', algorithms: ['HS256'] },
    });
    expect(hs.statusCode).toBe(400);
    const insecure = await rig.app.inject({
      method: 'PUT',
      url: '/admin/api/trusted-idps',
      headers: auth,
      payload: { issuer: 'http://idp2.example', jwks_uri: 'http://idp2.example/jwks' },
    });
    expect(insecure.statusCode).toBe(400);

    const removed = await rig.app.inject({
      method: 'DELETE',
      url: '/admin/api/trusted-idps?issuer=http%3A%2F%2Flocalhost%3A3100',
      headers: auth,
    });
    expect(removed.json()).toEqual({ deleted: true });
    const untrusted = await redeem(rig.app, await rig.idp.mint(rig.clock.seconds));
    expect(untrusted.json()).toEqual({ error: 'invalid_grant' });
    const restored = await rig.app.inject({
      method: 'PUT',
      url: '/admin/api/trusted-idps',
      headers: auth,
      payload: { issuer: 'http://localhost:3100', jwks_uri: 'http://localhost:3100/jwks', algorithms: ['ES256'] },
    });
    expect(restored.statusCode).toBe(200);
    expect((await redeem(rig.app, await rig.idp.mint(rig.clock.seconds))).statusCode).toBe(200);
  });

  it('[RAS-AUDIT-REASON] filters the audit log and exports it as JSON Lines', async () => {
    await redeem(rig.app, 'garbage');
    const denied = await rig.app.inject({
      method: 'GET',
      url: '/admin/api/audit?outcome=deny&type=jwt_bearer.redemption&limit=5',
      headers: auth,
    });
    const events = denied.json<{ events: Array<{ outcome: string; reason: string }> }>().events;
    expect(events.length).toBeGreaterThan(0);
    expect(events.every((event) => event.outcome === 'deny')).toBe(true);
    expect(events[0]?.reason).toBe('ERR_JWT_MALFORMED');
    const exported = await rig.app.inject({ method: 'GET', url: '/admin/api/audit/export', headers: auth });
    const lines = exported.body.trim().split('\n');
    expect(lines.length).toBeGreaterThan(3);
    expect(() => lines.map((line) => JSON.parse(line))).not.toThrow();
    expect(exported.body).not.toMatch(/eyJ/);
  });

  it('serves the admin page with a strict content security policy', async () => {
    const page = await rig.app.inject({ method: 'GET', url: '/admin' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    const script = await rig.app.inject({ method: 'GET', url: '/admin/admin.js' });
    expect(script.statusCode).toBe(200);
    expect(script.body).not.toContain('innerHTML');
  });
});
