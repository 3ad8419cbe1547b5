import { JwtValidationError } from '@ema/jwt';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearerAuthentication, requireAccessToken } from '../../src/fastify/bearer-authentication.js';
import { createTestKey, mintToken, PRM_URL, RAS_ISSUER, RESOURCE, type TestKey } from '../support/tokens.js';

const SCOPE = 'scope="tickets.read tickets.write"';

async function build(key: TestKey): Promise<FastifyInstance> {
  const app = Fastify();
  await app.register(async (protectedRoutes) => {
    await protectedRoutes.register(bearerAuthentication, {
      issuer: RAS_ISSUER,
      resource: RESOURCE,
      keys: key.keys,
      algorithms: ['ES256'],
      scopesSupported: ['tickets.read', 'tickets.write'],
    });
    protectedRoutes.post('/mcp', async (request) => ({ subject: requireAccessToken(request).subject }));
  });
  // Outside the plugin that registered bearer authentication: not protected, and the decorator stays null there.
  app.get('/public', async (request) => ({ accessToken: request.accessToken ?? 'absent' }));
  return app;
}

describe('bearerAuthentication (Fastify)', () => {
  let key: TestKey;
  let app: FastifyInstance;
  beforeAll(async () => {
    key = await createTestKey();
    app = await build(key);
  });
  afterAll(() => app.close());

  it('[MCP-AUTH-EVERY-REQUEST] lets a valid token through and hands the route the verified principal', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/mcp',
      headers: { authorization: `Bearer ${await mintToken(key)}` },
      payload: {},
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toStrictEqual({ subject: 'alice' });
  });

  it('[MCP-AUTH-401-CHALLENGE] answers no token with 401, the bare challenge and an empty body, before the body is parsed', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/mcp',
      headers: { 'content-type': 'application/json' },
      payload: '{not json',
    });
    expect(response.statusCode).toBe(401);
    expect(response.headers['www-authenticate']).toBe(`Bearer resource_metadata="${PRM_URL}", ${SCOPE}`);
    expect(response.body).toBe('');
  });

  it('[MCP-RFC6750-3.1-INVALID-TOKEN] answers a bad token with 401 invalid_token, challenge and body', async () => {
    const response = await app.inject({ method: 'POST', url: '/mcp', headers: { authorization: 'Bearer nope' } });
    expect(response.statusCode).toBe(401);
    expect(response.headers['www-authenticate']).toBe(
      `Bearer error="invalid_token", error_description="The access token is invalid", resource_metadata="${PRM_URL}", ${SCOPE}`,
    );
    expect(response.json()).toStrictEqual({ error: 'invalid_token', error_description: 'The access token is invalid' });
  });

  it('[MCP-AUTH-NO-QUERY-TOKEN] answers a token in the query with 400 invalid_request', async () => {
    const token = await mintToken(key);
    const response = await app.inject({
      method: 'POST',
      url: `/mcp?access_token=${token}`,
      headers: { authorization: `Bearer ${token}` },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ error: 'invalid_request' });
  });

  it('leaves routes outside its context alone', async () => {
    const response = await app.inject({ method: 'GET', url: '/public' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toStrictEqual({ accessToken: 'absent' });
  });
});

describe('bearerAuthentication (Fastify) when the keys cannot be fetched', () => {
  it('answers 503 temporarily_unavailable without a challenge', async () => {
    const key = await createTestKey();
    const app = await build({
      ...key,
      keys: async () => Promise.reject(new JwtValidationError('ERR_JWKS_UNAVAILABLE')),
    });
    try {
      const response = await app.inject({
        method: 'POST',
        url: '/mcp',
        headers: { authorization: `Bearer ${await mintToken(key)}` },
      });
      expect(response.statusCode).toBe(503);
      expect(response.headers['www-authenticate']).toBeUndefined();
      expect(response.json()).toStrictEqual({
        error: 'temporarily_unavailable',
        error_description: 'The authorization server keys are unavailable; retry later',
      });
    } finally {
      await app.close();
    }
  });
});
