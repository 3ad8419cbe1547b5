import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { IdpApp } from '../../src/app.js';
import { authorizationParams, authorize, hiddenField, tokensFor } from '../support/browser.js';
import { form, startIdp } from '../support/test-app.js';

let app: IdpApp;
beforeEach(async () => {
  ({ app } = await startIdp());
});
afterEach(async () => {
  await app.close();
});

describe('logout', () => {
  it('[IDP-OIDC-LOGOUT] ends the session at once with a valid id_token_hint and redirects to the registered URI with state', async () => {
    const { id_token, jar } = await tokensFor(app, 'alice');
    const url = `/logout?${form({ id_token_hint: id_token, post_logout_redirect_uri: 'http://localhost:3000/', state: 'bye' })}`;
    const response = await app.inject({ method: 'GET', url, headers: { cookie: jar.header() } });
    expect(response.statusCode).toBe(302);
    expect(response.headers.location).toBe('http://localhost:3000/?state=bye');
    jar.store(response);
    // The session is gone: the next authorization request shows the sign-in form again.
    expect((await authorize(app, jar, authorizationParams().params)).statusCode).toBe(200);
    expect(app.idp.audit.query({ type: 'sign_out' })[0]).toMatchObject({ outcome: 'success', subject: 'usr_alice' });
  });

  it('[IDP-OIDC-LOGOUT] asks for confirmation (POST with CSRF token) without a hint', async () => {
    const { jar } = await tokensFor(app, 'alice');
    const page = await app.inject({ method: 'GET', url: '/logout', headers: { cookie: jar.header() } });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<button type="submit">Sign out</button>');
    jar.store(page);
    const forged = await app.inject({
      method: 'POST',
      url: '/logout',
      headers: { cookie: jar.header(), 'content-type': 'application/x-www-form-urlencoded' },
      payload: form({ csrf_token: 'x'.repeat(43) }),
    });
    expect(forged.statusCode).toBe(403);
    const confirmed = await app.inject({
      method: 'POST',
      url: '/logout',
      headers: { cookie: jar.header(), 'content-type': 'application/x-www-form-urlencoded' },
      payload: form({ csrf_token: hiddenField(page.body, 'csrf_token') ?? '' }),
    });
    expect(confirmed.statusCode).toBe(200);
    expect(confirmed.body).toContain('You are signed out');
  });

  it('refuses an unregistered post_logout_redirect_uri', async () => {
    const response = await app.inject({
      method: 'GET',
      url: `/logout?${form({ client_id: 'agent-host', post_logout_redirect_uri: 'https://evil.example/' })}`,
    });
    expect(response.statusCode).toBe(400);
    expect(response.headers.location).toBeUndefined();
  });
});
