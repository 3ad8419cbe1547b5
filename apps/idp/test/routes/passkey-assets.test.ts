import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IdpApp } from '../../src/app.js';
import { authorizationParams, authorize, CookieJar } from '../support/browser.js';
import { startIdp } from '../support/test-app.js';

let app: IdpApp;
beforeAll(async () => {
  ({ app } = await startIdp());
});
afterAll(async () => {
  await app.close();
});

describe('the passkey pages\u2019 scripts', () => {
  it('[IDP-PASSKEY-CSP] serves @simplewebauthn/browser and passkey.js from its own origin, as JavaScript, nosniff', async () => {
    const library = await app.inject({ method: 'GET', url: '/assets/webauthn.js' });
    expect(library.statusCode).toBe(200);
    expect(library.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(library.headers['x-content-type-options']).toBe('nosniff');
    expect(library.body).toContain('SimpleWebAuthnBrowser');
    const own = await app.inject({ method: 'GET', url: '/assets/passkey.js' });
    expect(own.statusCode).toBe(200);
    expect(own.body).toContain('data-webauthn-options');
    // Neither uses eval: the pages' CSP allows none.
    for (const source of [library.body, own.body]) expect(source).not.toMatch(/\beval\(|new Function\(/);
  });

  it('[IDP-PASSKEY-CSP] keeps the password page free of any script, under the no-script CSP', async () => {
    const page = await authorize(app, new CookieJar(), authorizationParams().params);
    expect(page.body).not.toContain('<script');
    expect(page.headers['content-security-policy']).toBe(
      "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'",
    );
  });
});
