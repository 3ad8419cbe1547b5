import { decodeUnverified } from '@ema/jwt';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { IdpApp } from '../../src/app.js';
import {
  authorizationParams,
  authorize,
  CookieJar,
  hiddenField,
  signInForCode,
  submitLogin,
  tokensFor,
} from '../support/browser.js';
import { ISSUER, REDIRECT_URI, startIdp, type TestClock } from '../support/test-app.js';

let app: IdpApp;
let clock: TestClock;
beforeEach(async () => {
  ({ app, clock } = await startIdp());
});
afterEach(async () => {
  await app.close();
});

function redirectError(location: string | undefined) {
  const url = new URL(String(location));
  return { base: `${url.origin}${url.pathname}`, params: Object.fromEntries(url.searchParams) };
}

describe('authorization endpoint', () => {
  it('[IDP-OIDC-LOGIN-PAGE] shows the sign-in form, the request kept server-side and named by an unguessable id', async () => {
    const jar = new CookieJar();
    const { params } = authorizationParams();
    const response = await authorize(app, jar, params);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(response.headers['x-frame-options']).toBe('DENY');
    expect(response.body).toContain('<label for="username">Username</label>');
    expect(response.body).toContain('<label for="password">Password</label>');
    expect(response.body).toContain('<button type="submit">Sign in</button>');
    const requestId = hiddenField(response.body, 'request_id') ?? '';
    expect(requestId).toMatch(/^[A-Za-z0-9_-]{43}$/);
    // Only the id and the CSRF token travel in the page; the validated parameters stay at the IdP.
    expect(hiddenField(response.body, 'state')).toBeUndefined();
    expect(app.idp.storage.findSignInRequest(requestId, Math.floor(clock.now() / 1000))?.target).toEqual({
      kind: 'authorization',
      parameters: params,
    });
    expect(jar.cookies.has('idp_csrf')).toBe(true);
  });

  it('[IDP-OIDC-STATE-NONCE] returns the code with state and iss, and the ID token carries the nonce', async () => {
    const { location } = await signInForCode(app, 'alice');
    expect(`${location.origin}${location.pathname}`).toBe(REDIRECT_URI);
    expect(location.searchParams.get('state')).toBe('state-123');
    expect(location.searchParams.get('iss')).toBe(ISSUER);
    expect(location.searchParams.get('code')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const tokens = await tokensFor(app, 'alice');
    expect(decodeUnverified(tokens.id_token)?.claims.nonce).toBe('nonce-456');
  });

  it('[IDP-OIDC-SESSION-COOKIE] sets an HttpOnly SameSite=Lax session cookie (not Secure on loopback)', async () => {
    const jar = new CookieJar();
    const page = await authorize(app, jar, authorizationParams().params);
    const login = await submitLogin(app, jar, page.body, 'alice', 'alice-password');
    const cookie = login.cookies.find((item) => item.name === 'idp_session');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
    expect(cookie?.secure).not.toBe(true);
  });

  it('[IDP-OIDC-SSO-SILENT] signs in silently on a second request within the session', async () => {
    const { jar } = await signInForCode(app, 'alice');
    const second = await authorize(app, jar, authorizationParams({ state: 'again' }).params);
    expect(second.statusCode).toBe(302);
    const location = new URL(String(second.headers.location));
    expect(location.searchParams.get('state')).toBe('again');
    expect(location.searchParams.get('code')).not.toBeNull();
  });

  it('[IDP-OIDC-PROMPT-LOGIN] shows the sign-in form again for prompt=login, and for an older sign-in than max_age', async () => {
    const { jar } = await signInForCode(app, 'alice');
    expect((await authorize(app, jar, authorizationParams({ prompt: 'login' }).params)).statusCode).toBe(200);
    clock.advance(120);
    expect((await authorize(app, jar, authorizationParams({ max_age: '60' }).params)).statusCode).toBe(200);
    expect((await authorize(app, jar, authorizationParams({ max_age: '600' }).params)).statusCode).toBe(302);
  });

  it('[IDP-OIDC-PROMPT-LOGIN] a step-up sign-in (prompt=login) issues an ID token with a fresh auth_time', async () => {
    const first = await tokensFor(app, 'alice');
    clock.advance(600);
    const { jar } = await signInForCode(app, 'alice');
    const page = await authorize(app, jar, authorizationParams({ prompt: 'login' }).params);
    const login = await submitLogin(app, jar, page.body, 'alice', 'alice-password');
    expect(login.statusCode).toBe(302);
    const again = await tokensFor(app, 'alice', { prompt: 'login' });
    const before = decodeUnverified(first.id_token)?.claims.auth_time as number;
    expect(decodeUnverified(again.id_token)?.claims.auth_time).toBe(before + 600);
  });

  it('answers prompt=none without a session with login_required at the redirect URI', async () => {
    const response = await authorize(app, new CookieJar(), authorizationParams({ prompt: 'none' }).params);
    expect(response.statusCode).toBe(302);
    expect(redirectError(response.headers.location)).toEqual({
      base: REDIRECT_URI,
      params: { error: 'login_required', error_description: 'the user must sign in', state: 'state-123', iss: ISSUER },
    });
  });

  it('[IDP-OIDC-PKCE-S256] redirects invalid_request when code_challenge is missing', async () => {
    const { params } = authorizationParams();
    delete params.code_challenge;
    const response = await authorize(app, new CookieJar(), params);
    expect(redirectError(response.headers.location).params).toEqual({
      error: 'invalid_request',
      error_description: 'code_challenge is required (PKCE)',
      state: 'state-123',
      iss: ISSUER,
    });
  });

  it('[IDP-OIDC-PKCE-S256] refuses the plain code challenge method', async () => {
    const response = await authorize(
      app,
      new CookieJar(),
      authorizationParams({ code_challenge_method: 'plain' }).params,
    );
    expect(redirectError(response.headers.location).params).toMatchObject({
      error: 'invalid_request',
      error_description: 'code_challenge_method must be S256',
    });
    const missing = authorizationParams().params;
    delete missing.code_challenge_method;
    const absent = await authorize(app, new CookieJar(), missing);
    expect(redirectError(absent.headers.location).params.error).toBe('invalid_request');
  });

  it('[IDP-RFC6749-4.1.2.1-NO-REDIRECT] shows an error page, never a redirect, for an unregistered redirect_uri', async () => {
    const response = await authorize(
      app,
      new CookieJar(),
      authorizationParams({ redirect_uri: 'http://localhost:3000/other' }).params,
    );
    expect(response.statusCode).toBe(400);
    expect(response.headers.location).toBeUndefined();
    expect(response.body).toContain('The redirect_uri is missing or not registered for this client.');
  });

  it('[IDP-RFC6749-4.1.2.1-NO-REDIRECT] shows an error page for an unknown client', async () => {
    const response = await authorize(app, new CookieJar(), authorizationParams({ client_id: 'nobody' }).params);
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('The client is not registered at this IdP.');
  });

  it('redirects unsupported_response_type, invalid_scope and a repeated parameter', async () => {
    const token = await authorize(app, new CookieJar(), authorizationParams({ response_type: 'token' }).params);
    expect(redirectError(token.headers.location).params.error).toBe('unsupported_response_type');
    const noOpenid = await authorize(app, new CookieJar(), authorizationParams({ scope: 'profile' }).params);
    expect(redirectError(noOpenid.headers.location).params).toMatchObject({ error: 'invalid_scope' });
    const { params } = authorizationParams();
    const repeated = await app.inject({ method: 'GET', url: `/authorize?${new URLSearchParams(params)}&state=two` });
    expect(redirectError(repeated.headers.location).params).toMatchObject({
      error: 'invalid_request',
      error_description: 'state is repeated',
    });
  });

  it('[IDP-AUDIT-SIGN-IN] refuses a wrong password with the form again and audits the failure', async () => {
    const jar = new CookieJar();
    const page = await authorize(app, jar, authorizationParams().params);
    const response = await submitLogin(app, jar, page.body, 'alice', 'wrong');
    expect(response.statusCode).toBe(401);
    expect(response.body).toContain('Incorrect username or password.');
    const [failure] = app.idp.audit.query({ type: 'sign_in' });
    expect(failure).toMatchObject({ outcome: 'failure', reason: 'wrong_password', subject: 'usr_alice' });
    await submitLogin(app, jar, page.body, 'alice', 'alice-password');
    expect(app.idp.audit.query({ type: 'sign_in' })[0]).toMatchObject({ outcome: 'success', subject: 'usr_alice' });
  });

  it('[IDP-CSRF-LOGIN] refuses a sign-in form without the CSRF cookie', async () => {
    const page = await authorize(app, new CookieJar(), authorizationParams().params);
    const response = await submitLogin(app, new CookieJar(), page.body, 'alice', 'alice-password');
    expect(response.statusCode).toBe(403);
    expect(response.headers.location).toBeUndefined();
  });
});
