import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { createRateLimiter } from '../../src/runtime.js';

let app: FastifyInstance | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

/** An app whose one route answers what the limiter said: `ok`, or the seconds to wait. */
async function build(key?: (url: string) => string | undefined): Promise<FastifyInstance> {
  app = Fastify();
  const limit = await createRateLimiter(app, { max: 2, windowSeconds: 30 });
  app.get('/*', async (request) => {
    const exceeded = await limit(request, key?.(request.url));
    return exceeded === undefined ? { ok: true } : { retryAfter: exceeded.retryAfterSeconds };
  });
  return app;
}

const call = async (server: FastifyInstance, remoteAddress: string, url = '/') =>
  (await server.inject({ url, remoteAddress })).json();

describe('createRateLimiter', () => {
  it('[KIT-RATE-LIMIT] counts by address, an IPv6 /64 as one address, and says how long to wait', async () => {
    const server = await build();
    expect(await call(server, '2001:db8::1')).toEqual({ ok: true });
    expect(await call(server, '2001:db8::2')).toEqual({ ok: true });
    const limited = await call(server, '2001:db8::ffff');
    expect(limited.retryAfter).toBeGreaterThan(0);
    expect(limited.retryAfter).toBeLessThanOrEqual(30);
    expect(await call(server, '2001:db8:1::1')).toEqual({ ok: true });
    expect(await call(server, '203.0.113.1')).toEqual({ ok: true });
  });

  it('counts by the key the caller names, whatever the address, apart from the address counters', async () => {
    const server = await build((url) => (url === '/keyed' ? 'client-a' : undefined));
    expect(await call(server, '203.0.113.1', '/keyed')).toEqual({ ok: true });
    expect(await call(server, '203.0.113.2', '/keyed')).toEqual({ ok: true });
    expect((await call(server, '203.0.113.3', '/keyed')).retryAfter).toBeGreaterThan(0);
    expect(await call(server, '203.0.113.3', '/by-address')).toEqual({ ok: true });
  });
});
