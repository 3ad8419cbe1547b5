import { Writable } from 'node:stream';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { healthz, lazyChildLoggerFactory, loggerOptions } from '../../src/runtime.js';

describe('healthz', () => {
  it('answers GET /healthz with 200 {"status":"ok"}', async () => {
    const app = Fastify();
    await app.register(healthz);
    const response = await app.inject({ method: 'GET', url: '/healthz' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ok' });
    await app.close();
  });

  it('[KIT-DEV-LOGS-READABLE] logs no health check at info level (launchers and load balancers poll it)', async () => {
    const lines: string[] = [];
    const stream = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const app = Fastify({
      logger: { ...loggerOptions({ name: 'test-app', level: 'info', pretty: false }), stream },
      childLoggerFactory: lazyChildLoggerFactory,
    });
    await app.register(healthz);
    app.get('/other', async () => ({ ok: true }));
    for (let i = 0; i < 3; i += 1) expect((await app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    await app.inject({ method: 'GET', url: '/other' });
    await app.close();
    expect(lines.filter((line) => line.includes('/healthz'))).toEqual([]);
    // Other requests are still logged at info.
    expect(lines.filter((line) => line.includes('"url":"/other"')).length).toBeGreaterThan(0);
  });
});
