/** `POST /register` (RFC 7591) and how the token endpoint treats the clients it registers. */
import { GRANT_TYPE_JWT_BEARER } from '@ema/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postForm, type Rig, startRas } from '../support/ras.js';
import { auditOf, REDIRECT_URI, register } from './interactive-rig.js';

let rig: Rig;
beforeAll(async () => {
  rig = await startRas();
});
afterAll(() => rig.app.close());

describe('dynamic client registration', () => {
  it('[RAS-RFC7591-3-DCR] registers a public client: 201, a new client_id, the registered metadata, no secret, no-store', async () => {
    const response = await rig.app.inject({
      method: 'POST',
      url: '/register',
      payload: {
        redirect_uris: [REDIRECT_URI],
        client_name: 'Inspector',
        token_endpoint_auth_method: 'none',
        grant_types: ['authorization_code', 'refresh_token'],
        software_id: 'inspector',
      },
    });
    expect(response.statusCode).toBe(201);
    expect(response.headers['cache-control']).toBe('no-store');
    const body = response.json();
    expect(body).toEqual({
      client_id: expect.stringMatching(/^dcr_[A-Za-z0-9_-]{22}$/),
      client_id_issued_at: expect.any(Number),
      redirect_uris: [REDIRECT_URI],
      token_endpoint_auth_method: 'none',
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      client_name: 'Inspector',
      software_id: 'inspector',
    });
    const [audit] = await auditOf(rig.app, 'client.registration');
    expect(audit).toMatchObject({ outcome: 'allow', client_id: body.client_id });
  });

  it('[RAS-RFC7591-3-DCR] registers a confidential client with a secret that authenticates at the token endpoint', async () => {
    const { clientId, secret } = await register(rig.app, { token_endpoint_auth_method: 'client_secret_basic' });
    expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const response = await postForm(
      rig.app,
      '/token',
      [
        ['grant_type', 'authorization_code'],
        ['code', 'x'],
        ['redirect_uri', REDIRECT_URI],
        ['code_verifier', 'v'.repeat(43)],
      ],
      {
        method: 'basic',
        clientId,
        secret: secret ?? '',
      },
    );
    expect(response.json()).toMatchObject({ error: 'invalid_grant' });
  });

  it.each([
    [{ client_name: 'x' }, 'invalid_redirect_uri', 'redirect_uris is required'],
    [
      { redirect_uris: ['http://app.example/cb'] },
      'invalid_redirect_uri',
      'redirect URI must use https, or http on a loopback address',
    ],
    [
      { redirect_uris: [REDIRECT_URI], grant_types: ['client_credentials'] },
      'invalid_client_metadata',
      'grant type client_credentials is not supported',
    ],
  ])('[RAS-RFC7591-3.2.2-ERRORS] refuses %j with 400 and the RFC 7591 error', async (payload, error, description) => {
    const response = await rig.app.inject({ method: 'POST', url: '/register', payload });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({ error, error_description: description });
    const [audit] = await auditOf(rig.app, 'client.registration');
    expect(audit).toMatchObject({ outcome: 'deny', reason: error });
  });

  it('[RAS-RFC7591-3.2.2-ERRORS] refuses a body that is not JSON with invalid_request', async () => {
    const response = await rig.app.inject({
      method: 'POST',
      url: '/register',
      headers: { 'content-type': 'application/json' },
      payload: '{"redirect_uris":',
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toBe('invalid_request');
  });
});

describe('token endpoint clients of both paths', () => {
  it('[RAS-PUBLIC-CLIENT-NONE] [RAS-IDJAG-4.4.1-PUBLIC-CLIENT-REFUSED] a public client authenticates by client_id for the code grant only; the jwt-bearer grant still refuses it', async () => {
    const { clientId } = await register(rig.app);
    const code = await postForm(
      rig.app,
      '/token',
      [
        ['grant_type', 'authorization_code'],
        ['code', 'unknown'],
        ['redirect_uri', REDIRECT_URI],
        ['code_verifier', 'v'.repeat(43)],
      ],
      { method: 'none', clientId },
    );
    expect(code.statusCode).toBe(400);
    expect(code.json()).toEqual({
      error: 'invalid_grant',
      error_description: 'the authorization code is invalid, expired, revoked or was issued to another client',
    });
    const bearer = await postForm(
      rig.app,
      '/token',
      [
        ['grant_type', GRANT_TYPE_JWT_BEARER],
        ['assertion', 'x'],
      ],
      {
        method: 'none',
        clientId,
      },
    );
    expect(bearer.statusCode).toBe(401);
    expect(bearer.json()).toEqual({ error: 'invalid_client', error_description: 'client authentication required' });
  });

  it('[RAS-RFC6749-5.2-UNAUTHORIZED-CLIENT] each client uses only its grant types: an EMA client no code grant, a registered client no jwt-bearer', async () => {
    const ema = await postForm(rig.app, '/token', [
      ['grant_type', 'authorization_code'],
      ['code', 'x'],
      ['redirect_uri', REDIRECT_URI],
      ['code_verifier', 'v'.repeat(43)],
    ]);
    expect(ema.json()).toEqual({
      error: 'unauthorized_client',
      error_description: 'this client may not use this grant type',
    });
    const { clientId, secret } = await register(rig.app, { token_endpoint_auth_method: 'client_secret_post' });
    const bearer = await postForm(
      rig.app,
      '/token',
      [
        ['grant_type', GRANT_TYPE_JWT_BEARER],
        ['assertion', 'x'],
      ],
      {
        method: 'post',
        clientId,
        secret: secret ?? '',
      },
    );
    expect(bearer.json()).toEqual({
      error: 'unauthorized_client',
      error_description: 'this client may not use this grant type',
    });
    const refresh = await postForm(
      rig.app,
      '/token',
      [
        ['grant_type', 'refresh_token'],
        ['refresh_token', 'x'],
      ],
      {
        method: 'post',
        clientId,
        secret: secret ?? '',
      },
    );
    // It did not register the refresh_token grant.
    expect(refresh.json().error).toBe('unauthorized_client');
  });
});
