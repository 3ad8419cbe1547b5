import { localJwks, verifyIdToken } from '@ema/jwt';
import { DEFAULT_ALGORITHMS, OidcTokenResponse } from '@ema/protocol';
import { Value } from '@sinclair/typebox/value';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { IdpApp } from '../../src/app.js';
import { signInForCode } from '../support/browser.js';
import {
  AGENT,
  addOtherClient,
  basic,
  form,
  ISSUER,
  OTHER,
  REDIRECT_URI,
  startIdp,
  T0,
  type TestClock,
} from '../support/test-app.js';

let app: IdpApp;
let clock: TestClock;
beforeEach(async () => {
  ({ app, clock } = await startIdp());
});
afterEach(async () => {
  await app.close();
});

function redeem(params: Record<string, string>, authorization = basic(AGENT.id, AGENT.secret)) {
  return app.inject({
    method: 'POST',
    url: '/token',
    headers: { authorization, 'content-type': 'application/x-www-form-urlencoded' },
    payload: form({ grant_type: 'authorization_code', redirect_uri: REDIRECT_URI, ...params }),
  });
}

const INVALID_CODE = {
  error: 'invalid_grant',
  error_description: 'the authorization code is invalid, expired or already used',
};

describe('authorization_code grant', () => {
  it('[IDP-OIDC-ID-TOKEN-CLAIMS] [ARCH-WIRE-SHAPES-FROM-PROTOCOL] issues an ID token with auth_time, amr, email, name, groups, nonce and sid', async () => {
    const { code, verifier } = await signInForCode(app, 'alice');
    const response = await redeem({ code, code_verifier: verifier });
    expect(response.statusCode).toBe(200);
    expect(response.headers['cache-control']).toBe('no-store');
    const body = response.json();
    expect(body).toMatchObject({
      token_type: 'Bearer',
      expires_in: 600,
      scope: 'openid profile email groups offline_access',
    });
    expect(typeof body.refresh_token).toBe('string');
    expect(Value.Check(OidcTokenResponse, body)).toBe(true);
    const { claims, header } = await verifyIdToken(body.id_token, {
      algorithms: DEFAULT_ALGORITHMS,
      issuer: ISSUER,
      keys: localJwks(app.idp.keyStore.jwks()),
      clientId: AGENT.id,
      nonce: 'nonce-456',
      currentDate: new Date(T0),
    });
    expect(header).toMatchObject({ alg: 'ES256', typ: 'JWT', kid: app.idp.keyStore.signer().kid });
    expect(claims).toMatchObject({
      iss: ISSUER,
      sub: 'usr_alice',
      aud: AGENT.id,
      auth_time: T0 / 1000,
      amr: ['pwd'],
      email: 'alice@acme.example',
      name: 'Alice Anders',
      groups: ['engineering'],
      nonce: 'nonce-456',
      iat: T0 / 1000,
      exp: T0 / 1000 + 600,
    });
    expect(claims.sid).toMatch(/^sid_/);
  });

  it('[IDP-OIDC-PKCE-S256] refuses a wrong code_verifier with invalid_grant', async () => {
    const { code } = await signInForCode(app, 'alice');
    const response = await redeem({ code, code_verifier: 'x'.repeat(43) });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual(INVALID_CODE);
  });

  it('[IDP-OIDC-PKCE-S256] refuses a missing code_verifier with invalid_request', async () => {
    const { code } = await signInForCode(app, 'alice');
    const response = await redeem({ code });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({ error: 'invalid_request', error_description: 'code_verifier is required' });
  });

  it('[IDP-RFC6749-4.1.3-REDIRECT-URI] refuses a redirect_uri different from the authorization request', async () => {
    const { code, verifier } = await signInForCode(app, 'alice');
    const response = await redeem({ code, code_verifier: verifier, redirect_uri: 'http://localhost:3000/other' });
    expect(response.json()).toEqual(INVALID_CODE);
  });

  it('[IDP-RFC6749-4.1.2-CODE-REUSE] refuses a reused code and revokes the tokens issued from it', async () => {
    const { code, verifier } = await signInForCode(app, 'alice');
    const first = (await redeem({ code, code_verifier: verifier })).json();
    const second = await redeem({ code, code_verifier: verifier });
    expect(second.statusCode).toBe(400);
    expect(second.json()).toEqual(INVALID_CODE);
    const userinfo = await app.inject({
      method: 'GET',
      url: '/userinfo',
      headers: { authorization: `Bearer ${first.access_token}` },
    });
    expect(userinfo.statusCode).toBe(401);
    const refresh = await app.inject({
      method: 'POST',
      url: '/token',
      headers: { authorization: basic(AGENT.id, AGENT.secret), 'content-type': 'application/x-www-form-urlencoded' },
      payload: form({ grant_type: 'refresh_token', refresh_token: first.refresh_token }),
    });
    expect(refresh.json()).toEqual({
      error: 'invalid_grant',
      error_description: 'the refresh token is invalid, expired or revoked',
    });
    expect(app.idp.audit.query({ type: 'token.authorization_code' })[0]).toMatchObject({
      reason: 'code_reused_grant_revoked',
    });
  });

  it('[IDP-RFC6749-4.1.2-CODE-LIFETIME] refuses a code older than 60 seconds', async () => {
    const { code, verifier } = await signInForCode(app, 'alice');
    clock.advance(61);
    expect((await redeem({ code, code_verifier: verifier })).json()).toEqual(INVALID_CODE);
  });

  it('[IDP-RFC6749-4.1.3-CLIENT-BINDING] refuses a code redeemed by another client, without burning it', async () => {
    addOtherClient(app);
    const { code, verifier } = await signInForCode(app, 'alice');
    const stolen = await redeem({ code, code_verifier: verifier }, basic(OTHER.id, OTHER.secret));
    expect(stolen.json()).toEqual(INVALID_CODE);
    expect((await redeem({ code, code_verifier: verifier })).statusCode).toBe(200);
  });

  it('[IDP-RFC6749-2.3.1-CLIENT-AUTH] refuses wrong client credentials with 401 invalid_client and a Basic challenge', async () => {
    const { code, verifier } = await signInForCode(app, 'alice');
    const response = await redeem({ code, code_verifier: verifier }, basic(AGENT.id, 'wrong'));
    expect(response.statusCode).toBe(401);
    expect(response.headers['www-authenticate']).toBe(`Basic realm="${ISSUER}"`);
    expect(response.json()).toEqual({ error: 'invalid_client', error_description: 'client authentication failed' });
  });

  it('does not issue a refresh token without offline_access', async () => {
    const { code, verifier } = await signInForCode(app, 'alice', { params: { scope: 'openid email' } });
    const body = (await redeem({ code, code_verifier: verifier })).json();
    expect(body.refresh_token).toBeUndefined();
    expect(body.scope).toBe('openid email');
  });
});
