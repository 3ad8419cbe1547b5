import { MEDIA_TYPE_FORM, MEDIA_TYPE_JSON } from '@ema/protocol';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { tokenEndpoint } from '../../src/fastify.js';
import type { OAuthError } from '../../src/index.js';
import { oauthErrorBoundary } from '../../src/runtime.js';
import { basic, findClient, form, type TestClient } from '../fixtures.js';
import { grants } from '../token-endpoint/grants.js';

let app: FastifyInstance | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

async function build(refusals: string[] = []): Promise<FastifyInstance> {
  app = Fastify();
  await app.register(oauthErrorBoundary);
  await app.register(tokenEndpoint<TestClient>, {
    path: '/token',
    grants,
    findClient,
    bodyLimit: 1024,
    onRefusal: (error: OAuthError) => refusals.push(error.error),
  });
  return app;
}

const auth = { authorization: basic('simple', 'simple-secret') };

describe('tokenEndpoint plugin', () => {
  it('[KIT-RFC6749-5.1-NO-STORE] answers a valid request with the grant response and no-store', async () => {
    const response = await (await build()).inject({
      method: 'POST',
      url: '/token',
      headers: { ...auth, 'content-type': MEDIA_TYPE_FORM },
      payload: form({ grant_type: 'urn:test:echo', scope: 'x' }),
    });
    expect(response.statusCode).toBe(200);
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.headers.pragma).toBe('no-cache');
    expect(response.json()).toMatchObject({
      access_token: 'simple client_secret_basic',
      token_type: 'Bearer',
      expires_in: 60,
      scope: 'x',
    });
  });

  it('[KIT-RFC6749-5.1-NO-STORE] answers refusals with no-store and the RFC body', async () => {
    const response = await (await build()).inject({
      method: 'POST',
      url: '/token',
      headers: { ...auth, 'content-type': MEDIA_TYPE_FORM },
      payload: form({ grant_type: 'refresh_token' }),
    });
    expect(response.statusCode).toBe(400);
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.headers.pragma).toBe('no-cache');
    expect(response.json()).toEqual({ error: 'unsupported_grant_type' });
  });

  it('[KIT-RFC6749-3.2-FORM-BODY] refuses a JSON body as invalid_request', async () => {
    const response = await (await build()).inject({
      method: 'POST',
      url: '/token',
      headers: { ...auth, 'content-type': MEDIA_TYPE_JSON },
      payload: JSON.stringify({ grant_type: 'urn:test:echo' }),
    });
    expect(response.statusCode).toBe(400);
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.json().error).toBe('invalid_request');
  });

  it('[KIT-RFC6749-3.2-FORM-BODY] refuses a request without a body or content type', async () => {
    const response = await (await build()).inject({ method: 'POST', url: '/token', headers: auth });
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toBe('invalid_request');
  });

  it('[KIT-RFC6749-3.2-NO-REPEAT] refuses a repeated parameter', async () => {
    const response = await (await build()).inject({
      method: 'POST',
      url: '/token',
      headers: { ...auth, 'content-type': MEDIA_TYPE_FORM },
      payload: 'grant_type=urn%3Atest%3Aecho&grant_type=urn%3Atest%3Aecho',
    });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({
      error: 'invalid_request',
      error_description: "parameter 'grant_type' is repeated",
    });
  });

  it('[KIT-RFC6749-3.2-POST-ONLY] refuses GET with 405, Allow: POST and no-store', async () => {
    const response = await (await build()).inject({ method: 'GET', url: '/token?grant_type=urn:test:echo' });
    expect(response.statusCode).toBe(405);
    expect(response.headers.allow).toBe('POST');
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.json().error).toBe('invalid_request');
  });

  it('[KIT-RFC6749-5.2-ERROR-BODY] refuses an oversize body cleanly as invalid_request with no-store', async () => {
    const refusals: string[] = [];
    const response = await (await build(refusals)).inject({
      method: 'POST',
      url: '/token',
      headers: { ...auth, 'content-type': MEDIA_TYPE_FORM },
      payload: form({ grant_type: 'urn:test:echo', assertion: 'x'.repeat(4096) }),
    });
    expect(response.statusCode).toBe(400);
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.json()).toEqual({ error: 'invalid_request', error_description: 'request body too large' });
    expect(refusals).toEqual(['invalid_request']);
  });

  it('[KIT-RFC6749-5.2-INVALID-CLIENT-401] answers a failed Basic authentication with 401 and WWW-Authenticate', async () => {
    const response = await (await build()).inject({
      method: 'POST',
      url: '/token',
      headers: { authorization: basic('simple', 'bad'), 'content-type': MEDIA_TYPE_FORM },
      payload: form({ grant_type: 'urn:test:echo' }),
    });
    expect(response.statusCode).toBe(401);
    expect(response.headers['www-authenticate']).toBe('Basic realm="oauth"');
    expect(response.json()).toEqual({ error: 'invalid_client', error_description: 'client authentication failed' });
  });

  it('[KIT-PROFILE-ERROR-NO-LEAK] answers a crashing grant with a bare 500 server_error', async () => {
    const response = await (await build()).inject({
      method: 'POST',
      url: '/token',
      headers: { ...auth, 'content-type': MEDIA_TYPE_FORM },
      payload: form({ grant_type: 'urn:test:crash' }),
    });
    expect(response.statusCode).toBe(500);
    expect(response.body).toBe('{"error":"server_error"}');
  });

  it('leaves the other routes of the app to their own content-type parsers', async () => {
    const instance = await build();
    instance.post('/echo', async (request) => ({ body: request.body }));
    const response = await instance.inject({ method: 'POST', url: '/echo', payload: { a: 1 } });
    expect(response.json()).toEqual({ body: { a: 1 } });
  });
});
