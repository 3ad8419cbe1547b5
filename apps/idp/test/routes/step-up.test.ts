import { decodeUnverified } from '@ema/jwt';
import { ACR_MULTI_FACTOR, ACR_PASSWORD } from '@ema/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { IdpApp } from '../../src/app.js';
import { hashOpaqueToken } from '../../src/tokens/opaque-token.js';
import {
  authorizationParams,
  authorize,
  CookieJar,
  hiddenField,
  redeemCode,
  signInForCode,
  submitLogin,
} from '../support/browser.js';
import { answerPasskeyPage, authenticator, enrolPasskey, open, post } from '../support/passkeys.js';
import { REDIRECT_URI, startIdp, type TestClock } from '../support/test-app.js';

let app: IdpApp;
let clock: TestClock;
beforeEach(async () => {
  ({ app, clock } = await startIdp());
});
afterEach(async () => {
  await app.close();
});

const MFA = { acr_values: ACR_MULTI_FACTOR };

/** Alice signed in with her password, with a passkey enrolled on her account page. */
async function aliceWithPasskey(options: { synced?: boolean } = {}) {
  const { jar } = await signInForCode(app, 'alice');
  const device = authenticator(options);
  await enrolPasskey(app, jar, device);
  return { jar, device };
}

/** The claims of the ID token a code redeems to. */
async function idTokenClaims(location: string | undefined, verifier: string) {
  const code = new URL(String(location)).searchParams.get('code') ?? '';
  const tokens = (await redeemCode(app, code, verifier)).json<{ id_token: string }>();
  return decodeUnverified(tokens.id_token)?.claims ?? {};
}

/** The browser's live SSO session, as the IdP stores it. */
function sessionOf(jar: CookieJar) {
  const token = jar.cookies.get('idp_session') ?? '';
  return app.idp.storage.findSession(hashOpaqueToken(token), Math.floor(clock.now() / 1000));
}

function redirectParams(location: string | undefined) {
  const url = new URL(String(location));
  return { to: `${url.origin}${url.pathname}`, ...Object.fromEntries(url.searchParams) };
}

describe('step-up at the authorization endpoint', () => {
  it('[IDP-OIDC-ACR-VALUES] [IDP-STEP-UP-MISSING-FACTOR] asks a recent password session for exactly the passkey, keeps the session, and issues acr mfa', async () => {
    const { jar, device } = await aliceWithPasskey();
    const before = sessionOf(jar);
    clock.advance(30);
    const { params, verifier } = authorizationParams(MFA);
    const asked = await authorize(app, jar, params);
    // Not the password form: the browser goes to the passkey page of this request.
    expect(asked.statusCode).toBe(302);
    expect(String(asked.headers.location)).toMatch(/^\/login\/passkey\?request=[A-Za-z0-9_-]{43}$/);
    const page = await open(app, jar, String(asked.headers.location));
    expect(page.body).toContain('Use your passkey');
    expect(page.body).not.toContain('name="password"');
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    const answered = await answerPasskeyPage(app, jar, page.body, device);
    expect(redirectParams(answered.headers.location)).toMatchObject({ to: REDIRECT_URI, state: 'state-123' });

    // Same session (id and first factor kept), raised: the passkey's methods added, auth_time now, new cookie.
    const after = sessionOf(jar);
    expect(after?.id).toBe(before?.id);
    expect(after?.amr).toEqual(['pwd', 'hwk', 'user', 'mfa']);
    expect(after?.authTime).toBe((before?.authTime ?? 0) + 30);
    const claims = await idTokenClaims(answered.headers.location, verifier);
    expect(claims).toMatchObject({ acr: ACR_MULTI_FACTOR, amr: ['pwd', 'hwk', 'user', 'mfa'], sid: before?.id });
    expect(claims.auth_time).toBe(after?.authTime);
    expect(app.idp.audit.query({ type: 'sign_in', limit: 1 })[0]).toMatchObject({
      outcome: 'success',
      details: { method: 'passkey', step: 'second_factor', acr: ACR_MULTI_FACTOR },
    });
    // Now the session satisfies mfa: the next request is silent.
    expect((await authorize(app, jar, authorizationParams(MFA).params)).statusCode).toBe(302);
  });

  it('[IDP-OIDC-ACR-VALUES] a password ID token says acr pwd; without a session, acr_values mfa asks for the password, then the passkey', async () => {
    const { device } = await aliceWithPasskey();
    const plain = await signInForCode(app, 'alice');
    expect(await idTokenClaims(plain.location.href, plain.verifier)).toMatchObject({ acr: ACR_PASSWORD, amr: ['pwd'] });

    const fresh = new CookieJar();
    const { params, verifier } = authorizationParams(MFA);
    const form = await authorize(app, fresh, params);
    expect(form.statusCode).toBe(200);
    const password = await submitLogin(app, fresh, form.body, 'alice', 'alice-password');
    expect(password.statusCode).toBe(303);
    const page = await open(app, fresh, String(password.headers.location));
    const answered = await answerPasskeyPage(app, fresh, page.body, device);
    expect(await idTokenClaims(answered.headers.location, verifier)).toMatchObject({ acr: ACR_MULTI_FACTOR });
  });

  it('[IDP-PASSKEY-FIRST-FACTOR] [IDP-WEBAUTHN-7.2-ASSERTION] signs in with a passkey alone: user verification makes it multi-factor (swk when synced)', async () => {
    const { device } = await aliceWithPasskey({ synced: true });
    const jar = new CookieJar();
    const { params, verifier } = authorizationParams();
    const form = await authorize(app, jar, params);
    const page = await open(app, jar, `/login/passkey?request=${hiddenField(form.body, 'request_id')}`);
    expect(page.body).toContain('Sign in with a passkey');
    // A discoverable credential: the options name none, the authenticator picks the user's.
    expect(page.body).toContain('&quot;allowCredentials&quot;:[]');
    const answered = await answerPasskeyPage(app, jar, page.body, device);
    expect(await idTokenClaims(answered.headers.location, verifier)).toMatchObject({
      sub: 'usr_alice',
      acr: ACR_MULTI_FACTOR,
      amr: ['swk', 'user', 'mfa'],
    });
  });

  it('[IDP-STEP-UP-NO-PASSKEY] tells a user without a passkey how to get one; going back answers unmet_authentication_requirements, audited', async () => {
    const { jar } = await signInForCode(app, 'alice');
    const asked = await authorize(app, jar, authorizationParams(MFA).params);
    const page = await open(app, jar, String(asked.headers.location));
    expect(page.body).toContain('A passkey is required');
    expect(page.body).toContain('<a href="/account">your account</a>');
    // No ceremony offered, so no script on this page.
    expect(page.headers['content-security-policy']).not.toContain('script-src');
    const back = await post(app, jar, '/login/passkey', {
      csrf_token: hiddenField(page.body, 'csrf_token') ?? '',
      request_id: hiddenField(page.body, 'request_id') ?? '',
      cancel: 'no_passkey',
    });
    expect(redirectParams(back.headers.location)).toMatchObject({
      to: REDIRECT_URI,
      error: 'unmet_authentication_requirements',
      state: 'state-123',
    });
    expect(app.idp.audit.query({ type: 'sign_in', limit: 1 })[0]).toMatchObject({
      outcome: 'failure',
      reason: 'no_passkey',
    });
    // The session is untouched: still the password sign-in.
    expect(sessionOf(jar)?.amr).toEqual(['pwd']);
  });

  it('[IDP-STEP-UP-CANCEL] a cancelled passkey prompt answers access_denied; the pending request is then gone', async () => {
    const { jar } = await aliceWithPasskey();
    const asked = await authorize(app, jar, authorizationParams(MFA).params);
    const page = await open(app, jar, String(asked.headers.location));
    const fields = {
      csrf_token: hiddenField(page.body, 'csrf_token') ?? '',
      request_id: hiddenField(page.body, 'request_id') ?? '',
      cancel: 'cancelled',
    };
    const cancelled = await post(app, jar, '/login/passkey', fields);
    expect(redirectParams(cancelled.headers.location)).toMatchObject({ error: 'access_denied', state: 'state-123' });
    expect((await post(app, jar, '/login/passkey', fields)).statusCode).toBe(400);
  });

  it('[IDP-OIDC-ACR-UNSUPPORTED] refuses acr_values it does not support with unmet_authentication_requirements, audited, nothing changed', async () => {
    const { jar } = await signInForCode(app, 'alice');
    const before = sessionOf(jar);
    const refused = await authorize(app, jar, authorizationParams({ acr_values: 'urn:example:loa:4' }).params);
    expect(refused.statusCode).toBe(302);
    expect(redirectParams(refused.headers.location)).toMatchObject({
      to: REDIRECT_URI,
      error: 'unmet_authentication_requirements',
      state: 'state-123',
    });
    expect(new URL(String(refused.headers.location)).searchParams.get('error_description')).toContain(ACR_MULTI_FACTOR);
    expect(app.idp.audit.query({ type: 'authorize.refused', limit: 1 })[0]).toMatchObject({
      outcome: 'failure',
      reason: 'acr_values_unsupported',
      clientId: 'agent-host',
      details: { acr_values: 'urn:example:loa:4' },
    });
    expect(sessionOf(jar)).toEqual(before);
    // One supported value among unknown ones is enough: the unknown ones are ignored.
    const mixed = await authorize(
      app,
      jar,
      authorizationParams({ acr_values: `urn:example:loa:4 ${ACR_PASSWORD}` }).params,
    );
    expect(new URL(String(mixed.headers.location)).searchParams.get('code')).not.toBeNull();
  });

  it('[IDP-OIDC-ACR-VALUES] prompt=none cannot step up (login_required); max_age past the sign-in asks for the sign-in again first', async () => {
    const { jar } = await aliceWithPasskey();
    const silent = await authorize(app, jar, authorizationParams({ ...MFA, prompt: 'none' }).params);
    expect(redirectParams(silent.headers.location)).toMatchObject({ error: 'login_required' });
    clock.advance(120);
    const stale = await authorize(app, jar, authorizationParams({ ...MFA, max_age: '60' }).params);
    expect(stale.statusCode).toBe(200);
    expect(stale.body).toContain('name="password"');
  });

  it('[IDP-DISCOVERY-ACR] advertises the two ACR values and the acr claim', async () => {
    const metadata = (await app.inject({ method: 'GET', url: '/.well-known/openid-configuration' })).json<{
      acr_values_supported: string[];
      claims_supported: string[];
    }>();
    expect(metadata.acr_values_supported).toEqual([ACR_PASSWORD, ACR_MULTI_FACTOR]);
    expect(metadata.claims_supported).toContain('acr');
  });
});
