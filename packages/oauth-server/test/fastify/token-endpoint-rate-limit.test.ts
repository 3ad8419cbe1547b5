import { MEDIA_TYPE_FORM } from '@ema/protocol';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { type TokenEndpointPluginOptions, tokenEndpoint } from '../../src/fastify.js';
import { oauthErrorBoundary } from '../../src/runtime.js';
import { basic, CONFIDENTIAL_SECRET, findClient, form, type TestClient } from '../fixtures.js';
import { grants } from '../token-endpoint/grants.js';

let app: FastifyInstance | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

async function build(rateLimits: TokenEndpointPluginOptions<TestClient>['rateLimits'], refusals: string[] = []) {
  app = Fastify();
  await app.register(oauthErrorBoundary);
  await app.register(tokenEndpoint<TestClient>, {
    path: '/token',
    grants,
    findClient,
    onRefusal: (error) => refusals.push(error.error),
    ...(rateLimits === undefined ? {} : { rateLimits }),
  });
  return app;
}

function request(server: FastifyInstance, authorization: string, remoteAddress = '203.0.113.7') {
  return server.inject({
    method: 'POST',
    url: '/token',
    remoteAddress,
    headers: { authorization, 'content-type': MEDIA_TYPE_FORM },
    payload: form({ grant_type: 'urn:test:echo' }),
  });
}

const simple = basic('simple', 'simple-secret');
const agent = basic('agent:host', CONFIDENTIAL_SECRET);

function expectRateLimited(response: Awaited<ReturnType<typeof request>>): void {
  expect(response.statusCode).toBe(429);
  expect(Number(response.headers['retry-after'])).toBeGreaterThan(0);
  expect(Number(response.headers['retry-after'])).toBeLessThanOrEqual(60);
  expect(response.headers['cache-control']).toBe('no-store');
  expect(response.json()).toEqual({
    error: 'temporarily_unavailable',
    error_description: `rate limit exceeded; retry after ${response.headers['retry-after']} s`,
  });
}

describe('tokenEndpoint rate limits', () => {
  it('[KIT-RATE-LIMIT] limits requests per address: 429, Retry-After and an OAuth body past the limit', async () => {
    const refusals: string[] = [];
    const server = await build({ perAddress: { max: 2, windowSeconds: 60 } }, refusals);
    expect((await request(server, simple)).statusCode).toBe(200);
    expect((await request(server, basic('simple', 'wrong'))).statusCode).toBe(401);
    expectRateLimited(await request(server, simple));
    // Another address is counted apart.
    expect((await request(server, simple, '198.51.100.1')).statusCode).toBe(200);
    // A rate-limit refusal is not audited (a flood must not become a flood of audit writes).
    expect(refusals).toEqual(['invalid_client']);
  });

  it('[KIT-RATE-LIMIT] limits requests per authenticated client; failed authentication spends no client budget', async () => {
    const server = await build({ perClient: { max: 2, windowSeconds: 60 } });
    for (let attempt = 0; attempt < 5; attempt++) {
      expect((await request(server, basic('simple', 'wrong'))).statusCode).toBe(401);
    }
    expect((await request(server, simple)).statusCode).toBe(200);
    expect((await request(server, simple, '198.51.100.1')).statusCode).toBe(200);
    expectRateLimited(await request(server, simple, '192.0.2.9'));
    // Another client at the same address is counted apart.
    expect((await request(server, agent)).statusCode).toBe(200);
  });

  it('limits nothing unless asked', async () => {
    const server = await build(undefined);
    for (let attempt = 0; attempt < 20; attempt++) expect((await request(server, simple)).statusCode).toBe(200);
  });
});
