import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { healthz, hostOriginCheck, oauthErrorBoundary } from '../../src/runtime.js';

let app: FastifyInstance | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

async function build(options: Parameters<typeof hostOriginCheck>[1]): Promise<FastifyInstance> {
  app = Fastify();
  await app.register(hostOriginCheck, options);
  await app.register(oauthErrorBoundary);
  await app.register(healthz);
  app.post('/admin/api/clients', async () => ({ created: true }));
  app.get('/metadata', async () => ({ ok: true }));
  return app;
}

describe('hostOriginCheck (Fastify)', () => {
  it('[KIT-HOST-ORIGIN-CHECK] answers a rebound Host 421 and a foreign Origin 403, with OAuth bodies and no-store', async () => {
    const server = await build({ publicUrl: 'https://as.example.com' });
    const rebound = await server.inject({ method: 'GET', url: '/metadata', headers: { host: 'attacker.example' } });
    expect(rebound.statusCode).toBe(421);
    expect(rebound.headers['cache-control']).toBe('no-store');
    expect(rebound.json()).toEqual({
      error: 'invalid_request',
      error_description: 'the Host header does not name this server',
    });
    const foreign = await server.inject({
      method: 'POST',
      url: '/admin/api/clients',
      headers: { host: 'as.example.com', origin: 'https://attacker.example' },
    });
    expect(foreign.statusCode).toBe(403);
    expect(foreign.json()).toEqual({
      error: 'invalid_request',
      error_description: 'cross-origin requests are not accepted here',
    });
    const own = await server.inject({
      method: 'POST',
      url: '/admin/api/clients',
      headers: { host: 'as.example.com', origin: 'https://as.example.com' },
    });
    expect(own.statusCode).toBe(200);
    // Unknown routes are checked too: a rebound page learns nothing, not even what is routed.
    expect(
      (await server.inject({ method: 'GET', url: '/nowhere', headers: { host: 'evil.example' } })).statusCode,
    ).toBe(421);
  });

  it('[KIT-HOST-ORIGIN-CHECK] answers a refused page form (its 4xx schema an HTML string) with the JSON error body', async () => {
    const server = await build({ publicUrl: 'https://as.example.com' });
    server.post(
      '/consent',
      { schema: { response: { 200: { type: 'string' }, '4xx': { type: 'string' } } } },
      async (_request, reply) => reply.type('text/html').send('<p>ok</p>'),
    );
    const refused = await server.inject({
      method: 'POST',
      url: '/consent',
      headers: { host: 'as.example.com', origin: 'null' },
    });
    expect(refused.statusCode).toBe(403);
    expect(refused.headers['content-type']).toContain('application/json');
    expect(refused.json()).toEqual({
      error: 'invalid_request',
      error_description: 'cross-origin requests are not accepted here',
    });
  });

  it('leaves /healthz to any Host (probes use the address they reach), and takes a custom refusal', async () => {
    const server = await build({
      publicUrl: 'https://as.example.com',
      refuse: (reply, refusal, status) => reply.code(status).send({ refused: refusal }),
    });
    expect((await server.inject({ url: '/healthz', headers: { host: '10.0.0.5:3200' } })).statusCode).toBe(200);
    const refused = await server.inject({ url: '/metadata?x=1', headers: { host: '10.0.0.5:3200' } });
    expect(refused.json()).toEqual({ refused: 'host_not_allowed' });
  });
});
