import { afterEach, describe, expect, it } from 'vitest';
import type { IdpApp } from '../../src/app.js';
import { startIdp } from '../support/test-app.js';

const TOKEN = 'Bearer test-admin-api-token-0123456789abcdef';

let app: IdpApp | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

describe('Host and Origin checks of the IdP', () => {
  it('[KIT-HOST-ORIGIN-CHECK] answers a rebound Host 421 before any route runs', async () => {
    ({ app } = await startIdp());
    const rebound = await app.inject({
      method: 'POST',
      url: '/admin/api/groups',
      headers: { host: 'attacker.example:3100', authorization: TOKEN },
      payload: { name: 'rebound' },
    });
    expect(rebound.statusCode).toBe(421);
    expect(rebound.json()).toEqual({
      error: 'invalid_request',
      error_description: 'the Host header does not name this server',
    });
    const discovery = await app.inject({
      url: '/.well-known/openid-configuration',
      headers: { host: 'attacker.example' },
    });
    expect(discovery.statusCode).toBe(421);
    expect((await app.inject({ url: '/.well-known/openid-configuration' })).statusCode).toBe(200);
  });

  it('[KIT-HOST-ORIGIN-CHECK] refuses a state-changing admin or sign-in request from a foreign Origin with 403', async () => {
    ({ app } = await startIdp());
    const foreign = await app.inject({
      method: 'POST',
      url: '/admin/api/groups',
      headers: { host: 'localhost:3100', origin: 'http://attacker.example', authorization: TOKEN },
      payload: { name: 'cross-origin' },
    });
    expect(foreign.statusCode).toBe(403);
    expect(foreign.json()).toEqual({
      error: 'invalid_request',
      error_description: 'cross-origin requests are not accepted here',
    });
    const login = await app.inject({
      method: 'POST',
      url: '/login',
      headers: {
        host: 'localhost:3100',
        origin: 'http://localhost:3000',
        'content-type': 'application/x-www-form-urlencoded',
      },
      payload: 'username=alice&password=alice-password',
    });
    expect(login.statusCode).toBe(403);
    const own = await app.inject({
      method: 'POST',
      url: '/admin/api/groups',
      headers: { host: 'localhost:3100', origin: 'http://localhost:3100', authorization: TOKEN },
      payload: { name: 'same-origin' },
    });
    expect(own.statusCode).toBe(201);
  });

  it('[KIT-HOST-ORIGIN-CHECK] accepts only the public host of a non-loopback issuer, plus IDP_ALLOWED_HOSTS', async () => {
    ({ app } = await startIdp({ config: { issuer: 'https://idp.example', allowedHosts: 'idp.internal:3100' } }));
    for (const [host, status] of [
      ['idp.example', 200],
      ['idp.example:443', 200],
      ['idp.internal:3100', 200],
      ['localhost:3100', 421],
    ] as const) {
      const response = await app.inject({ url: '/.well-known/openid-configuration', headers: { host } });
      expect(response.statusCode, host).toBe(status);
    }
  });
});
