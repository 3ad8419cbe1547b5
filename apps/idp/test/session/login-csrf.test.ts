import { afterEach, describe, expect, it } from 'vitest';
import type { IdpApp } from '../../src/app.js';
import { LOGIN_CSRF_COOKIE_HOST, LOGIN_CSRF_COOKIE_LOOPBACK } from '../../src/session/csrf.js';
import { authorizationParams, authorize, CookieJar, hiddenField, submitLogin } from '../support/browser.js';
import { startIdp } from '../support/test-app.js';

let app: IdpApp;
afterEach(async () => {
  await app.close();
});

describe('the sign-in form CSRF cookie and token', () => {
  it('[IDP-CSRF-LOGIN-HOST-PREFIX] is a __Host- cookie over https: Secure, Path=/, no Domain, HttpOnly', async () => {
    ({ app } = await startIdp({ config: { issuer: 'https://idp.example.com' } }));
    const page = await authorize(app, new CookieJar(), authorizationParams().params);
    const cookie = page.cookies.find((item) => item.name.endsWith('idp_csrf'));
    expect(cookie).toMatchObject({ name: LOGIN_CSRF_COOKIE_HOST, secure: true, path: '/', httpOnly: true });
    expect(cookie?.domain).toBeUndefined();
  });

  it('[IDP-CSRF-LOGIN-HOST-PREFIX] drops the prefix on the http loopback demo, where browsers would refuse it', async () => {
    ({ app } = await startIdp());
    const page = await authorize(app, new CookieJar(), authorizationParams().params);
    expect(page.cookies.map((item) => item.name)).toContain(LOGIN_CSRF_COOKIE_LOOPBACK);
    expect(page.cookies.find((item) => item.name === LOGIN_CSRF_COOKIE_LOOPBACK)?.secure).not.toBe(true);
  });

  it('[IDP-CSRF-LOGIN-BOUND] accepts a form token only for the sign-in request it was issued for', async () => {
    ({ app } = await startIdp());
    const jar = new CookieJar();
    const first = await authorize(app, jar, authorizationParams({ state: 'first' }).params);
    const second = await authorize(app, jar, authorizationParams({ state: 'second' }).params);
    // Same browser, same cookie: still, the first form's token does not answer the second request.
    const swapped = second.body.replace(
      `value="${hiddenField(second.body, 'csrf_token')}"`,
      `value="${hiddenField(first.body, 'csrf_token')}"`,
    );
    const refused = await submitLogin(app, jar, swapped, 'alice', 'alice-password');
    expect(refused.statusCode).toBe(403);
    expect(refused.body).toContain('Your sign-in form expired.');
    expect(app.idp.audit.query({ type: 'sign_in', outcome: 'success' })).toHaveLength(0);
    // Each form with its own token works.
    const signedIn = await submitLogin(app, jar, second.body, 'alice', 'alice-password');
    expect(new URL(String(signedIn.headers.location)).searchParams.get('state')).toBe('second');
  });
});
