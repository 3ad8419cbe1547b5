import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { healthz } from '../../src/runtime.js';

describe('healthz', () => {
  it('answers GET /healthz with 200 {"status":"ok"}', async () => {
    const app = Fastify();
    await app.register(healthz);
    const response = await app.inject({ method: 'GET', url: '/healthz' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ok' });
    await app.close();
  });
});
