import { Writable } from 'node:stream';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { lazyChildLoggerFactory, loggerOptions } from '../../src/runtime.js';

let app: FastifyInstance | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

function appAt(level: string): { app: FastifyInstance; lines: () => Record<string, unknown>[] } {
  const output: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      output.push(String(chunk));
      done();
    },
  });
  const instance = Fastify({
    logger: { ...loggerOptions({ name: 'lazy', level }), stream },
    childLoggerFactory: lazyChildLoggerFactory,
  });
  instance.get('/quiet', async () => ({ ok: true }));
  instance.get('/chatty', async (request) => {
    request.log.info({ step: 1 }, 'info line');
    request.log.warn({ step: 2 }, 'warn line');
    request.log.child({ part: 'inner' }).error('inner error');
    return { ok: true };
  });
  app = instance;
  return {
    app: instance,
    lines: () =>
      output
        .join('')
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}

describe('lazyChildLoggerFactory', () => {
  it('logs what a request logs at or above the level, with its request id bound', async () => {
    const { app, lines } = appAt('warn');
    const response = await app.inject({ method: 'GET', url: '/chatty' });
    expect(response.statusCode).toBe(200);
    const messages = lines().map((line) => [line.msg, line.reqId, line.part]);
    expect(messages).toEqual([
      ['warn line', 'req-1', undefined],
      ['inner error', 'req-1', 'inner'],
    ]);
  });

  it('keeps Fastify request logging at info, each line with its request id', async () => {
    const { app, lines } = appAt('info');
    await app.inject({ method: 'GET', url: '/chatty' });
    const logged = lines();
    expect(logged.map((line) => line.msg)).toEqual([
      'incoming request',
      'info line',
      'warn line',
      'inner error',
      'request completed',
    ]);
    expect(new Set(logged.map((line) => line.reqId))).toEqual(new Set(['req-1']));
  });

  it('makes no pino child for a request that logs nothing its level lets through', async () => {
    const { app, lines } = appAt('warn');
    await app.ready();
    const child = vi.spyOn(app.log, 'child');
    await app.inject({ method: 'GET', url: '/quiet' });
    expect(child).not.toHaveBeenCalled();
    await app.inject({ method: 'GET', url: '/chatty' });
    // The request's own child (a pino child inherits `child` from its parent, so the route's inner child counts too).
    expect(child.mock.calls.map(([bindings]) => bindings)).toEqual([{ reqId: 'req-2' }, { part: 'inner' }]);
    expect(lines()).toHaveLength(2);
  });
});
