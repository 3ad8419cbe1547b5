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

/** Opens the console sign-in form (`/login?return_to=...`) and submits it with `return_to` replaced. */
async function consoleSignIn(returnTo: string, username = 'admin', password = 'admin-password') {
  const jar = new CookieJar();
  const page = await app.inject({ method: 'GET', url: '/login?return_to=/admin' });
  jar.store(page);
  const body = page.body.replace(/name="return_to" value="[^"]*"/, `name="return_to" value="${returnTo}"`);
  return submitLogin(app, jar, body, username, password);
}

describe('sign-in form', () => {
  it('[IDP-LOGIN-RETURN-TO-SAFE] returns only to a same-origin console path; CR/LF or non-ASCII never reach Location', async () => {
    const cases: [string, string][] = [
      ['/admin/policy?done=created', '/admin/policy?done=created'],
      ['/admin/\r\nSet-Cookie: x=1', '/admin'],
      ['/admin/\u2028x', '/admin'],
      ['/admin/é', '/admin'],
      ['/admin/../../logout', '/admin'],
      ['/admin/%2e%2e/logout', '/admin'],
      ['//evil.example/admin', '/admin'],
      ['/admin\\@evil.example', '/admin'],
      ['https://evil.example/admin', '/admin'],
    ];
    for (const [returnTo, expected] of cases) {
      const response = await consoleSignIn(returnTo.replaceAll('"', '&quot;'));
      expect({ returnTo, status: response.statusCode, location: response.headers.location }).toEqual({
        returnTo,
        status: 302,
        location: expected,
      });
    }
  });
});
