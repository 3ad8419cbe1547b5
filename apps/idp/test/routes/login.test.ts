import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { IdpApp } from '../../src/app.js';
import { authorizationParams, authorize, CookieJar, submitLogin } from '../support/browser.js';
import { startIdp, type TestClock } from '../support/test-app.js';

let app: IdpApp;
let clock: TestClock;
beforeEach(async () => {
  ({ app, clock } = await startIdp());
});
afterEach(async () => {
  await app.close();
});

/** Opens the console sign-in form (`/login?return_to=...`) and submits it. */
async function consoleSignIn(returnTo: string, username = 'admin', password = 'admin-password') {
  const jar = new CookieJar();
  const page = await app.inject({ method: 'GET', url: `/login?return_to=${encodeURIComponent(returnTo)}` });
  jar.store(page);
  return submitLogin(app, jar, page.body, username, password);
}

describe('sign-in form', () => {
  it('[IDP-LOGIN-RETURN-TO-SAFE] returns only to a same-origin console path; CR/LF or non-ASCII never reach Location', async () => {
    const cases: [string, string][] = [
      ['/admin/policy?done=created', '/admin/policy?done=created'],
      ['/account', '/account'],
      ['/accounts', '/admin'],
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
      const response = await consoleSignIn(returnTo);
      expect({ returnTo, status: response.statusCode, location: response.headers.location }).toEqual({
        returnTo,
        status: 302,
        location: expected,
      });
    }
  });

  it('[IDP-LOGIN-THROTTLE] throttles repeated failures per username and address (429, Retry-After), audited', async () => {
    const jar = new CookieJar();
    const page = await authorize(app, jar, authorizationParams().params);
    for (let attempt = 0; attempt < 5; attempt += 1) {
      expect((await submitLogin(app, jar, page.body, 'alice', 'wrong')).statusCode).toBe(401);
    }
    // Blocked now, even with the right password, and without revealing whether the password was right.
    const blocked = await submitLogin(app, jar, page.body, 'alice', 'alice-password');
    expect(blocked.statusCode).toBe(429);
    expect(blocked.headers['retry-after']).toBe('900');
    expect(blocked.body).toContain('Too many failed sign-in attempts.');
    expect(blocked.headers.location).toBeUndefined();
    expect(app.idp.audit.query({ type: 'sign_in', limit: 1 })[0]).toMatchObject({
      outcome: 'failure',
      reason: 'throttled',
      details: { username: 'alice', address: '127.0.0.1' },
    });
    // Another account from the same address is not affected by alice's counter.
    expect((await submitLogin(app, jar, page.body, 'bob', 'bob-password')).statusCode).toBe(302);
    // The window ends: alice may sign in again (on a new sign-in page: bob's sign-in answered the first one).
    clock.advance(900);
    const fresh = new CookieJar();
    const next = await authorize(app, fresh, authorizationParams().params);
    expect((await submitLogin(app, fresh, next.body, 'alice', 'alice-password')).statusCode).toBe(302);
  });

  it('[IDP-LOGIN-THROTTLE] throttles unknown usernames exactly like known ones', async () => {
    const jar = new CookieJar();
    const page = await authorize(app, jar, authorizationParams().params);
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 6; attempt += 1) {
      statuses.push((await submitLogin(app, jar, page.body, 'nobody', 'guess')).statusCode);
    }
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
  });
});
