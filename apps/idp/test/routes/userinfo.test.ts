import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { IdpApp } from '../../src/app.js';
import { tokensFor } from '../support/browser.js';
import { ISSUER, startIdp, type TestClock } from '../support/test-app.js';

let app: IdpApp;
let clock: TestClock;
beforeEach(async () => {
  ({ app, clock } = await startIdp());
});
afterEach(async () => {
  await app.close();
});

describe('userinfo', () => {
  it('[IDP-OIDC-USERINFO] returns the claims released by the granted scopes', async () => {
    const { access_token } = await tokensFor(app, 'alice');
    const response = await app.inject({
      method: 'GET',
      url: '/userinfo',
      headers: { authorization: `Bearer ${access_token}` },
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      sub: 'usr_alice',
      name: 'Alice Anders',
      preferred_username: 'alice',
      email: 'alice@acme.example',
      email_verified: true,
      groups: ['engineering'],
    });
    const narrow = await tokensFor(app, 'bob', { scope: 'openid email' });
    const bob = await app.inject({
      method: 'POST',
      url: '/userinfo',
      headers: { authorization: `Bearer ${narrow.access_token}` },
    });
    expect(bob.json()).toEqual({ sub: 'usr_bob', email: 'bob@acme.example', email_verified: true });
  });

  it('[IDP-RFC6750-3-CHALLENGE] answers 401 with a Bearer challenge for a missing, unknown or expired token', async () => {
    const missing = await app.inject({ method: 'GET', url: '/userinfo' });
    expect(missing.statusCode).toBe(401);
    expect(missing.headers['www-authenticate']).toBe(`Bearer realm="${ISSUER}"`);
    const unknown = await app.inject({ method: 'GET', url: '/userinfo', headers: { authorization: 'Bearer nope' } });
    expect(unknown.statusCode).toBe(401);
    expect(unknown.headers['www-authenticate']).toBe(`Bearer realm="${ISSUER}", error="invalid_token"`);
    expect(unknown.json()).toEqual({
      error: 'invalid_token',
      error_description: 'the access token is invalid, expired or revoked',
    });
    const { access_token } = await tokensFor(app, 'alice');
    clock.advance(601);
    const expired = await app.inject({
      method: 'GET',
      url: '/userinfo',
      headers: { authorization: `Bearer ${access_token}` },
    });
    expect(expired.statusCode).toBe(401);
  });
});
