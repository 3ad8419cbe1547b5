/**
 * `GET /authorize` refusals and the redirect to the IdP, through `app.inject()`. Errors before the client and its
 * redirect URI are verified are pages (never a Location header); later ones go back to the redirect URI with `state`
 * and `iss`. Every refusal is audited.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { type Rig, startRas } from '../support/ras.js';
import { IDP_ISSUER } from '../support/test-idp.js';
import { auditOf, authorizationQuery, authorize, register } from './interactive-rig.js';

let rig: Rig;
let clientId: string;
beforeAll(async () => {
  rig = await startRas();
  ({ clientId } = await register(rig.app));
});
afterAll(() => rig.app.close());

function expectPage(response: { statusCode: number; headers: Record<string, unknown>; body: string }, text: string) {
  expect(response.statusCode).toBe(400);
  expect(response.headers.location).toBeUndefined();
  expect(response.headers['content-type']).toMatch(/^text\/html/);
  expect(response.headers['content-security-policy']).toContain("default-src 'none'");
  expect(response.body).toContain(text);
}

describe('GET /authorize', () => {
  it('[RAS-RFC6749-4.1.2.1-NO-REDIRECT-UNVERIFIED] shows a page, never a redirect, for a missing or unknown client_id and an unregistered redirect URI', async () => {
    expectPage(
      await authorize(rig.app, authorizationQuery(clientId, { client_id: undefined })),
      'does not name exactly one client',
    );
    expectPage(await authorize(rig.app, authorizationQuery('dcr_unknown')), 'is not registered at this server');
    // An EMA client redeems ID-JAGs; it never signs users in here.
    expectPage(await authorize(rig.app, authorizationQuery('acme-agent-host')), 'is not registered at this server');
    expectPage(
      await authorize(rig.app, authorizationQuery(clientId, { redirect_uri: 'https://attacker.example/cb' })),
      'The redirect_uri is missing or is not registered for this client.',
    );
    expectPage(
      await authorize(rig.app, authorizationQuery(clientId, { redirect_uri: 'http://127.0.0.1:5000/other' })),
      'not registered for this client',
    );
    const audit = await auditOf(rig.app, 'authorization.request');
    expect(audit.slice(0, 5).map((record) => [record.outcome, record.reason])).toEqual([
      ['deny', 'ERR_REDIRECT_URI_NOT_REGISTERED'],
      ['deny', 'ERR_REDIRECT_URI_NOT_REGISTERED'],
      ['deny', 'ERR_CLIENT_UNKNOWN'],
      ['deny', 'ERR_CLIENT_UNKNOWN'],
      ['deny', 'ERR_CLIENT_ID_MISSING'],
    ]);
  });

  it.each([
    [{ code_challenge: undefined }, 'invalid_request', 'code_challenge is required (PKCE)'],
    [{ code_challenge_method: 'plain' }, 'invalid_request', 'code_challenge_method must be S256'],
    [{ code_challenge_method: undefined }, 'invalid_request', 'code_challenge_method must be S256'],
    [{ response_type: 'token' }, 'unsupported_response_type', 'only response_type=code is supported'],
    [{ resource: 'http://localhost:3300/other' }, 'invalid_target', 'unknown resource'],
    [{ scope: 'tickets.read tickets.admin' }, 'invalid_scope', 'unknown scope: tickets.admin'],
  ])(
    '[RAS-RFC7636-4.4.1-S256-ONLY] [RAS-RFC9207-ISS] [RAS-RFC8707-2-RESOURCE] redirects %j back with the error, state and iss',
    async (overrides, error, description) => {
      const response = await authorize(rig.app, authorizationQuery(clientId, overrides));
      expect(response.statusCode).toBe(302);
      const location = new URL(String(response.headers.location));
      expect(location.origin + location.pathname).toBe('http://127.0.0.1:49152/callback');
      expect(Object.fromEntries(location.searchParams)).toEqual({
        error,
        error_description: description,
        state: 'state-123',
        iss: 'http://localhost:3200',
      });
      const [last] = await auditOf(rig.app, 'authorization.request');
      expect(last).toMatchObject({ outcome: 'deny', reason: error, client_id: clientId });
    },
  );

  it('[RAS-AUTHORIZE-STATE-REQUIRED] refuses a request without state', async () => {
    const response = await authorize(rig.app, authorizationQuery(clientId, { state: undefined }));
    const location = new URL(String(response.headers.location));
    expect(Object.fromEntries(location.searchParams)).toEqual({
      error: 'invalid_request',
      error_description: 'state is required',
      iss: 'http://localhost:3200',
    });
  });

  it('[RAS-INTERACTIVE-SIGN-IN-AT-IDP] sends a valid request to the IdP: code + PKCE S256, state, nonce, the callback, openid offline_access', async () => {
    const response = await authorize(rig.app, authorizationQuery(clientId));
    expect(response.statusCode).toBe(302);
    const location = new URL(String(response.headers.location));
    expect(`${location.origin}${location.pathname}`).toBe(`${IDP_ISSUER}/authorize`);
    const parameters = Object.fromEntries(location.searchParams);
    expect(parameters).toMatchObject({
      client_id: 'acme-ras',
      response_type: 'code',
      redirect_uri: 'http://localhost:3200/authorize/callback',
      scope: 'openid offline_access',
      code_challenge_method: 'S256',
    });
    expect(parameters.state).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(parameters.nonce).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(parameters.code_challenge).toMatch(/^[A-Za-z0-9_-]{43}$/);
    // The client's state and challenge never reach the IdP.
    expect(location.search).not.toContain('state-123');
    const cookie = String(response.headers['set-cookie']);
    expect(cookie).toMatch(/^ras_browser=[A-Za-z0-9_-]{43}; Max-Age=86400; Path=\/authorize; HttpOnly; SameSite=Lax$/);
  });

  it('[RAS-RFC6749-4.1.2.1-NO-REDIRECT-UNVERIFIED] shows a page for a callback this browser did not start', async () => {
    const response = await rig.app.inject({ method: 'GET', url: '/authorize/callback?code=x&state=forged' });
    expectPage(response, 'This sign-in is unknown or has expired.');
    const consent = await rig.app.inject({
      method: 'POST',
      url: '/authorize/consent',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `ras_browser=${'a'.repeat(43)}` },
      payload: 'request_id=x&csrf_token=y&decision=allow',
    });
    expectPage(consent, 'This authorization request is unknown or has expired.');
  });

  it('[RAS-INTERACTIVE-IDP-UNREACHABLE] answers temporarily_unavailable to the client when the IdP cannot be reached', async () => {
    const app = await buildApp(rig.config, { fetch: async () => new Response('down', { status: 503 }) });
    try {
      const response = await authorize(app, authorizationQuery(clientId));
      expect(response.statusCode).toBe(302);
      expect(Object.fromEntries(new URL(String(response.headers.location)).searchParams)).toEqual({
        error: 'temporarily_unavailable',
        error_description: 'the sign-in service is unreachable',
        state: 'state-123',
        iss: 'http://localhost:3200',
      });
    } finally {
      await app.close();
    }
  });
});
