import { Type } from '@sinclair/typebox';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { oauthErrorResponseSchema } from '../../src/fastify.js';
import { InvalidGrantError } from '../../src/index.js';
import { oauthErrorBoundary } from '../../src/runtime.js';

let app: FastifyInstance | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

async function build(): Promise<FastifyInstance> {
  app = Fastify({ bodyLimit: 1024 });
  await app.register(oauthErrorBoundary);
  const schema = { response: { 200: Type.Object({ ok: Type.Boolean() }), '4xx': oauthErrorResponseSchema } };
  app.post('/json', { schema: { ...schema, body: Type.Object({ name: Type.String() }) } }, async () => ({ ok: true }));
  app.get('/grant', { schema }, async () => {
    throw new InvalidGrantError('expired', { headers: { 'X-Extra': '1' } });
  });
  app.get('/crash', async () => {
    throw new TypeError("Cannot read properties of undefined (reading 'db password')");
  });
  return app;
}

describe('oauthErrorBoundary', () => {
  it('[KIT-RFC6749-5.2-ERROR-BODY] answers an OAuthError with its status, headers and body', async () => {
    const response = await (await build()).inject({ method: 'GET', url: '/grant' });
    expect(response.statusCode).toBe(400);
    expect(response.headers['x-extra']).toBe('1');
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    expect(response.json()).toEqual({ error: 'invalid_grant', error_description: 'expired' });
  });

  it('[KIT-RFC6749-5.2-ERROR-BODY] turns a schema validation failure into invalid_request', async () => {
    const response = await (await build()).inject({ method: 'POST', url: '/json', payload: { other: true } });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({
      error: 'invalid_request',
      error_description: 'the request does not match the expected parameters',
    });
  });

  it('[KIT-RFC6749-5.2-ERROR-BODY] turns an unsupported content type into invalid_request', async () => {
    const response = await (await build()).inject({
      method: 'POST',
      url: '/json',
      headers: { 'content-type': 'application/xml' },
      payload: '<a/>',
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toBe('invalid_request');
  });

  it('[KIT-RFC6749-5.2-ERROR-BODY] turns bad JSON and an empty JSON body into invalid_request', async () => {
    const instance = await build();
    for (const payload of ['{"name":', '']) {
      const response = await instance.inject({
        method: 'POST',
        url: '/json',
        headers: { 'content-type': 'application/json' },
        payload,
      });
      expect(response.statusCode, payload).toBe(400);
      expect(response.json()).toEqual({ error: 'invalid_request', error_description: 'malformed request body' });
    }
  });

  it('[KIT-RFC6749-5.2-ERROR-BODY] turns an oversize body into invalid_request', async () => {
    const response = await (await build()).inject({
      method: 'POST',
      url: '/json',
      payload: { name: 'x'.repeat(4096) },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({ error: 'invalid_request', error_description: 'request body too large' });
  });

  it('[KIT-PROFILE-ERROR-NO-LEAK] turns a thrown TypeError into a bare 500 server_error', async () => {
    const response = await (await build()).inject({ method: 'GET', url: '/crash' });
    expect(response.statusCode).toBe(500);
    expect(response.json()).toEqual({ error: 'server_error' });
    expect(response.body).not.toContain('password');
    expect(response.body).not.toContain('TypeError');
  });

  it('answers unknown routes with a 404 OAuth body', async () => {
    const response = await (await build()).inject({ method: 'GET', url: '/nowhere' });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toEqual({ error: 'invalid_request', error_description: 'not found' });
  });
});
