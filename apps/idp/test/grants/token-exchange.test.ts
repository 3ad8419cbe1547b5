import { localJwks, mintIdToken, verifyIdJag } from '@ema/jwt';
import {
  ACR_PASSWORD,
  DEFAULT_ALGORITHMS,
  TOKEN_TYPE_ID_JAG,
  TOKEN_TYPE_ID_TOKEN,
  TOKEN_TYPE_REFRESH_TOKEN,
  TOKEN_TYPE_SAML2,
  TokenExchangeResponse,
} from '@ema/protocol';
import { Value } from '@sinclair/typebox/value';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { IdpApp } from '../../src/app.js';
import { tokensFor } from '../support/browser.js';
import {
  AGENT,
  addOtherClient,
  basic,
  form,
  ISSUER,
  MCP,
  OTHER,
  RAS,
  startIdp,
  T0,
  type TestClock,
} from '../support/test-app.js';

let app: IdpApp;
let clock: TestClock;
beforeEach(async () => {
  ({ app, clock } = await startIdp());
  // These tests are about the exchange's own checks: engineering may write here without the demo world's second
  // factor (which token-exchange-step-up.test.ts covers).
  const write = app.idp.storage.findPolicyRule('engineering-tickets-write');
  if (write === undefined) throw new Error('rule missing');
  app.idp.storage.replacePolicyRule({ ...write, requiredAmr: null });
});
afterEach(async () => {
  await app.close();
});

const GRANT = 'urn:ietf:params:oauth:grant-type:token-exchange';

function exchange(params: Record<string, string>, authorization: string | null = basic(AGENT.id, AGENT.secret)) {
  return app.inject({
    method: 'POST',
    url: '/token',
    headers: {
      ...(authorization === null ? {} : { authorization }),
      'content-type': 'application/x-www-form-urlencoded',
    },
    payload: form(params),
  });
}

async function idTokenParams(username: string, overrides: Record<string, string> = {}) {
  const { id_token } = await tokensFor(app, username);
  return {
    grant_type: GRANT,
    requested_token_type: TOKEN_TYPE_ID_JAG,
    subject_token: id_token,
    subject_token_type: TOKEN_TYPE_ID_TOKEN,
    audience: RAS,
    resource: MCP,
    scope: 'tickets.read tickets.write',
    ...overrides,
  };
}

function verify(token: string) {
  return verifyIdJag(token, {
    algorithms: DEFAULT_ALGORITHMS,
    trustedIssuers: (iss) =>
      iss === ISSUER ? { issuer: ISSUER, keys: localJwks(app.idp.keyStore.jwks()) } : undefined,
    audience: RAS,
    clientId: 'acme-agent-host',
    maxLifetimeSeconds: 900,
    currentDate: new Date(clock.now()),
  });
}

const INVALID_SUBJECT = {
  error: 'invalid_grant',
  error_description: 'subject_token is invalid, expired, revoked or not issued to this client',
};

function lastExchangeAudit() {
  return app.idp.audit.query({ type: 'id_jag.exchange', limit: 1 })[0];
}

describe('token exchange (ID-JAG issuance)', () => {
  it('[IDP-RFC8693-2.2.1-RESPONSE] [ARCH-WIRE-SHAPES-FROM-PROTOCOL] answers issued_token_type, the ID-JAG in access_token, N_A, expires_in, scope; no-store; no refresh token', async () => {
    const response = await exchange(await idTokenParams('alice'));
    expect(response.statusCode).toBe(200);
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.headers.pragma).toBe('no-cache');
    const body = response.json();
    expect(Object.keys(body).sort()).toEqual([
      'access_token',
      'expires_in',
      'issued_token_type',
      'scope',
      'token_type',
    ]);
    expect(body).toMatchObject({
      issued_token_type: TOKEN_TYPE_ID_JAG,
      token_type: 'N_A',
      expires_in: 300,
      scope: 'tickets.read tickets.write',
    });
    expect(Value.Check(TokenExchangeResponse, body)).toBe(true);
  });

  it('[IDP-IDJAG-3-CLAIMS] [IDP-IDJAG-SID] [IDP-STEP-UP-CONTEXT-CARRIED] mints the ID-JAG with aud = RAS issuer, client_id at the RAS, sub, email, resource, scope, auth_time, amr, acr, and the session (sid)', async () => {
    const body = (await exchange(await idTokenParams('alice'))).json();
    const { header, claims } = await verify(body.access_token);
    expect(header).toMatchObject({ typ: 'oauth-id-jag+jwt', alg: 'ES256', kid: app.idp.keyStore.signer().kid });
    const now = T0 / 1000;
    expect(claims).toEqual({
      iss: ISSUER,
      sub: 'usr_alice',
      aud: RAS,
      client_id: 'acme-agent-host',
      jti: expect.stringMatching(/^jag_/),
      iat: now,
      exp: now + 300,
      resource: MCP,
      scope: 'tickets.read tickets.write',
      auth_time: now,
      amr: ['pwd'],
      acr: ACR_PASSWORD,
      email: 'alice@acme.example',
      sid: expect.stringMatching(/^sid_/),
    });
  });

  it('[IDP-AUDIT-EXCHANGE] audits an allowed exchange by the ID-JAG jti, with the explanation', async () => {
    const body = (await exchange(await idTokenParams('alice'))).json();
    const { claims } = await verify(body.access_token);
    expect(lastExchangeAudit()).toMatchObject({
      outcome: 'allow',
      reason: 'policy_allow',
      subject: 'usr_alice',
      clientId: AGENT.id,
      resource: MCP,
      jti: claims.jti,
      details: {
        rasClientId: 'acme-agent-host',
        grantedScopes: ['tickets.read', 'tickets.write'],
        matchedRules: ['engineering-tickets-read', 'engineering-tickets-write'],
      },
    });
  });

  it('[IDP-RFC6749-2.3.1-CLIENT-AUTH] accepts client_secret_post', async () => {
    const params = await idTokenParams('alice', { client_id: AGENT.id, client_secret: AGENT.secret });
    expect((await exchange(params, null)).statusCode).toBe(200);
  });

  it('[IDP-RFC6749-2.3.1-CLIENT-AUTH] refuses wrong client credentials with 401 invalid_client, audited', async () => {
    const response = await exchange(await idTokenParams('alice'), basic(AGENT.id, 'not-the-secret'));
    expect(response.statusCode).toBe(401);
    expect(response.json()).toEqual({ error: 'invalid_client', error_description: 'client authentication failed' });
    expect(lastExchangeAudit()).toMatchObject({ outcome: 'deny', reason: 'invalid_client' });
  });

  it('[IDP-IDJAG-4.3.3-SUBJECT-AUD] refuses an ID token issued to another client', async () => {
    addOtherClient(app);
    const now = T0 / 1000;
    const foreign = await mintIdToken(
      { iss: ISSUER, sub: 'usr_alice', aud: OTHER.id, iat: now, exp: now + 600, auth_time: now, amr: ['pwd'] },
      app.idp.keyStore.signer(),
    );
    const params = await idTokenParams('alice', { subject_token: foreign });
    const response = await exchange(params);
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual(INVALID_SUBJECT);
    expect(lastExchangeAudit()).toMatchObject({ outcome: 'deny', reason: 'id_token_invalid:ERR_JWT_AUD_MISMATCH' });
    // And the other client cannot use alice's agent-host ID token either.
    const response2 = await exchange(await idTokenParams('alice'), basic(OTHER.id, OTHER.secret));
    expect(response2.json()).toEqual(INVALID_SUBJECT);
  });

  it('[IDP-IDJAG-4.3.3-SUBJECT-EXP] refuses an expired ID token', async () => {
    const params = await idTokenParams('alice');
    clock.advance(600 + 31);
    expect((await exchange(params)).json()).toEqual(INVALID_SUBJECT);
    expect(lastExchangeAudit()).toMatchObject({ reason: 'id_token_invalid:ERR_JWT_EXPIRED' });
  });

  it('[IDP-IDJAG-4.3.3-SUBJECT-SIGNATURE] refuses a forged ID token signed by another key (even with our kid)', async () => {
    const { privateKey } = await generateKeyPair('ES256', { extractable: true });
    const now = T0 / 1000;
    const forged = await new SignJWT({ sub: 'usr_alice', auth_time: now, amr: ['pwd'] })
      .setProtectedHeader({ alg: 'ES256', typ: 'JWT', kid: app.idp.keyStore.signer().kid })
      .setIssuer(ISSUER)
      .setAudience(AGENT.id)
      .setIssuedAt(now)
      .setExpirationTime(now + 600)
      .sign(privateKey);
    expect((await exchange(await idTokenParams('alice', { subject_token: forged }))).json()).toEqual(INVALID_SUBJECT);
    expect(lastExchangeAudit()).toMatchObject({ reason: 'id_token_invalid:ERR_JWT_SIGNATURE_INVALID' });
    expect(typeof (await exportJWK(privateKey)).d).toBe('string');
  });

  it('[IDP-EMA-7.6.1-AUDIENCE-RESOURCE] refuses an unknown audience with invalid_target', async () => {
    const response = await exchange(await idTokenParams('alice', { audience: 'http://localhost:3999' }));
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({
      error: 'invalid_target',
      error_description: 'the audience is not the authorization server of this resource',
    });
  });

  it('[IDP-EMA-7.6.1-AUDIENCE-RESOURCE] refuses a mismatched audience/resource pair (trailing slash included)', async () => {
    const slash = await exchange(await idTokenParams('alice', { audience: `${RAS}/` }));
    expect(slash.json().error).toBe('invalid_target');
    const resource = await exchange(await idTokenParams('alice', { resource: 'http://localhost:3300/other' }));
    expect(resource.json()).toEqual({ error: 'invalid_target', error_description: 'unknown resource' });
    expect(lastExchangeAudit()).toMatchObject({ outcome: 'deny', reason: 'unknown_resource' });
  });

  it('[IDP-EMA-POLICY-DENY] refuses a denied group (carol) with invalid_target, audited with the explanation', async () => {
    const response = await exchange(await idTokenParams('carol'));
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({
      error: 'invalid_target',
      error_description: 'not granted by organization policy',
    });
    const record = lastExchangeAudit();
    expect(record).toMatchObject({
      outcome: 'deny',
      reason: 'policy_deny',
      subject: 'usr_carol',
      details: { matchedRules: ['contractors-no-tickets'] },
    });
    expect(record?.details?.explanation).toContain(
      'Denied: rule contractors-no-tickets refuses carol all access to Acme Tickets.',
    );
  });

  it('[IDP-EMA-POLICY-NARROW] grants bob only tickets.read when he asks for read and write', async () => {
    const body = (await exchange(await idTokenParams('bob'))).json();
    expect(body.scope).toBe('tickets.read');
    const { claims } = await verify(body.access_token);
    expect(claims.scope).toBe('tickets.read');
  });

  it('[IDP-EMA-POLICY-NO-SCOPE] answers invalid_scope when no requested scope is granted', async () => {
    const response = await exchange(await idTokenParams('bob', { scope: 'tickets.write' }));
    expect(response.json()).toEqual({
      error: 'invalid_scope',
      error_description: 'none of the requested scopes is granted by organization policy',
    });
  });

  it('grants every scope policy allows when no scope is requested', async () => {
    const params = await idTokenParams('alice');
    const { scope: _omitted, ...withoutScope } = params;
    expect((await exchange(withoutScope)).json().scope).toBe('tickets.read tickets.write');
  });

  it('[IDP-IDJAG-4.3.3-SUBJECT-REFRESH] accepts an IdP refresh token of the client as subject, without rotating it', async () => {
    const { refresh_token } = await tokensFor(app, 'alice');
    const params = {
      ...(await idTokenParams('alice')),
      subject_token: String(refresh_token),
      subject_token_type: TOKEN_TYPE_REFRESH_TOKEN,
    };
    expect((await exchange(params)).statusCode).toBe(200);
    expect((await exchange(params)).statusCode).toBe(200);
    const refresh = await exchange({ grant_type: 'refresh_token', refresh_token: String(refresh_token) });
    expect(refresh.statusCode).toBe(200);
  });

  it('[IDP-IDJAG-4.3.3-SUBJECT-REFRESH] refuses a revoked refresh token and one of another client', async () => {
    addOtherClient(app);
    const { refresh_token } = await tokensFor(app, 'alice');
    const params = {
      ...(await idTokenParams('alice')),
      subject_token: String(refresh_token),
      subject_token_type: TOKEN_TYPE_REFRESH_TOKEN,
    };
    expect((await exchange(params, basic(OTHER.id, OTHER.secret))).json()).toEqual(INVALID_SUBJECT);
    // Rotate, then reuse the old one: the family is revoked, so the successor is refused as a subject token too.
    const rotated = (await exchange({ grant_type: 'refresh_token', refresh_token: String(refresh_token) })).json();
    await exchange({ grant_type: 'refresh_token', refresh_token: String(refresh_token) });
    const revoked = await exchange({ ...params, subject_token: rotated.refresh_token });
    expect(revoked.json()).toEqual(INVALID_SUBJECT);
    expect(lastExchangeAudit()).toMatchObject({ reason: 'refresh_token_revoked' });
  });

  it('[IDP-RFC8693-2.1-PARAMS] refuses a missing parameter with invalid_request', async () => {
    const params = await idTokenParams('alice');
    for (const name of [
      'audience',
      'resource',
      'subject_token',
      'subject_token_type',
      'requested_token_type',
    ] as const) {
      const { [name]: _removed, ...rest } = params;
      const response = await exchange(rest);
      expect(response.statusCode).toBe(400);
      expect(response.json()).toEqual({ error: 'invalid_request', error_description: `${name} is required` });
    }
  });

  it('[IDP-RFC6749-3.2-REPEATED-PARAM] refuses a repeated parameter with invalid_request', async () => {
    const params = await idTokenParams('alice');
    const response = await app.inject({
      method: 'POST',
      url: '/token',
      headers: { authorization: basic(AGENT.id, AGENT.secret), 'content-type': 'application/x-www-form-urlencoded' },
      payload: `${form(params)}&audience=${encodeURIComponent(RAS)}`,
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toBe('invalid_request');
  });

  it('[IDP-RFC8693-ACTOR-TOKEN] refuses a request carrying actor_token', async () => {
    const params = await idTokenParams('alice');
    const response = await exchange({
      ...params,
      actor_token: params.subject_token,
      actor_token_type: TOKEN_TYPE_ID_TOKEN,
    });
    expect(response.json()).toEqual({ error: 'invalid_request', error_description: 'actor_token is not supported' });
  });

  it('[IDP-IDJAG-4.3.1-TOKEN-TYPES] refuses saml2 subject tokens and any other requested_token_type', async () => {
    const saml = await exchange(await idTokenParams('alice', { subject_token_type: TOKEN_TYPE_SAML2 }));
    expect(saml.json()).toEqual({ error: 'invalid_request', error_description: 'unsupported subject_token_type' });
    const other = await exchange(
      await idTokenParams('alice', { requested_token_type: 'urn:ietf:params:oauth:token-type:access_token' }),
    );
    expect(other.json()).toEqual({
      error: 'invalid_request',
      error_description: `requested_token_type must be ${TOKEN_TYPE_ID_JAG}`,
    });
  });

  it('[IDP-EXCHANGE-CLIENT-ALLOWED] refuses a client not allowed to request ID-JAGs (unauthorized_client), and one unknown at the RAS (invalid_target)', async () => {
    addOtherClient(app);
    const other = app.idp.storage.findClient(OTHER.id);
    if (other === undefined) throw new Error('other client missing');
    const params = await idTokenParams('alice');
    app.idp.storage.replaceClient({ ...other, mayRequestIdJag: false });
    expect((await exchange(params, basic(OTHER.id, OTHER.secret))).json()).toEqual({
      error: 'unauthorized_client',
      error_description: 'this client may not request ID-JAGs',
    });
    const agent = app.idp.storage.findClient(AGENT.id);
    if (agent === undefined) throw new Error('agent missing');
    app.idp.storage.replaceClient({ ...agent, rasClientIds: {} });
    expect((await exchange(params)).json()).toEqual({
      error: 'invalid_target',
      error_description: 'this client is not registered at that authorization server',
    });
  });

  it('[IDP-IDJAG-4.3.3-STEP-UP] answers insufficient_user_authentication with max_age when the sign-in is too old for a rule', async () => {
    app.idp.storage.replacePolicyRule({
      ...(app.idp.storage.findPolicyRule('engineering-tickets-read') ??
        (() => {
          throw new Error('rule missing');
        })()),
      maxAuthAgeSeconds: 300,
    });
    const { refresh_token } = await tokensFor(app, 'alice');
    clock.advance(301);
    const params = {
      ...(await idTokenParams('bob')),
      subject_token: String(refresh_token),
      subject_token_type: TOKEN_TYPE_REFRESH_TOKEN,
    };
    const response = await exchange(params);
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({
      error: 'insufficient_user_authentication',
      error_description: 'a more recent sign-in is required',
      max_age: 300,
    });
  });

  it('[IDP-POLICY-LIVE] a policy change takes effect at the next exchange', async () => {
    const params = await idTokenParams('alice');
    expect((await exchange(params)).statusCode).toBe(200);
    const created = await app.inject({
      method: 'POST',
      url: '/admin/api/policy-rules',
      headers: { authorization: 'Bearer test-admin-api-token-0123456789abcdef' },
      payload: {
        id: 'alice-out',
        description: 'Alice is on leave',
        effect: 'deny',
        subjectType: 'user',
        subject: 'alice',
        resourceId: 'acme-tickets',
        scopes: [],
      },
    });
    expect(created.statusCode).toBe(201);
    expect((await exchange(params)).json().error).toBe('invalid_target');
  });

  it('[IDP-IDJAG-4.3.3-SUBJECT-USER-DISABLED] refuses an ID token or refresh token subject of a disabled user, audited', async () => {
    const params = await idTokenParams('alice');
    const { refresh_token } = await tokensFor(app, 'alice');
    // Straight in storage, so no grant is revoked: this proves the exchange's own user check, which stands behind
    // the revocation an admin's disabling performs (test/admin/user-revocation.test.ts).
    app.idp.storage.updateUser('usr_alice', { disabled: true });
    const byIdToken = await exchange(params);
    expect(byIdToken.statusCode).toBe(400);
    expect(byIdToken.json()).toEqual(INVALID_SUBJECT);
    expect(lastExchangeAudit()).toMatchObject({
      outcome: 'deny',
      reason: 'subject_user_disabled',
      details: { sub: 'usr_alice' },
    });
    const byRefreshToken = await exchange({
      ...params,
      subject_token: String(refresh_token),
      subject_token_type: TOKEN_TYPE_REFRESH_TOKEN,
    });
    expect(byRefreshToken.json()).toEqual(INVALID_SUBJECT);
    expect(lastExchangeAudit()).toMatchObject({ outcome: 'deny', reason: 'subject_user_disabled' });
    expect(app.idp.audit.query({ type: 'id_jag.exchange', outcome: 'allow' })).toHaveLength(0);
  });
});
