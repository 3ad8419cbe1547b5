import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { HttpFuzzFailure, runHttpFuzz } from '../src/index.js';

let app: FastifyInstance | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
  vi.restoreAllMocks();
});

const dictionary = { origin: 'http://localhost:3000', parameterNames: ['name'], values: ['boom'] };

describe('runHttpFuzz', () => {
  it('[FUZZ-NO-5XX] passes an app that answers every request below 500, and prints its seed, case count and statuses', async () => {
    app = Fastify();
    app.get('/hello/:name', async (request) => ({ hello: (request.params as { name: string }).name }));
    app.post('/echo', async (request) => ({ got: typeof request.body }));
    const info = vi.spyOn(console, 'info').mockImplementation(() => undefined);
    const report = await runHttpFuzz(app, { name: 'robust', dictionary, seed: 7, numRuns: 200 });
    expect(report).toMatchObject({ name: 'robust', seed: 7, numRuns: 200, routes: 2 });
    expect(Object.values(report.statuses).reduce((sum, count) => sum + count, 0)).toBe(200);
    expect(Object.keys(report.statuses).every((status) => Number(status) < 500)).toBe(true);
    expect(info).toHaveBeenCalledWith(expect.stringMatching(/^http fuzz robust: seed=7 cases=200 routes=2 statuses /));
  });

  it('[FUZZ-NO-5XX] fails on the first 5xx, with the shrunk request and the seed that replays it', async () => {
    app = Fastify({ logger: false });
    app.get('/items/:id', async (request) => {
      const { id } = request.params as { id: string };
      // A bug the fuzzer must find: a value from the dictionary crashes the handler.
      if (id === 'boom') throw new TypeError('unexpected');
      return { id };
    });
    const failure = await runHttpFuzz(app, {
      name: 'buggy',
      dictionary: { ...dictionary, pathValues: ['boom', '1'] },
      seed: 1,
      numRuns: 300,
    }).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(HttpFuzzFailure);
    expect(String(failure)).toMatch(/seed: 1/);
    expect(String(failure)).toMatch(/\/items\/boom answered 500/);
  });

  it('[FUZZ-NO-5XX] fails on a request that is never answered', async () => {
    app = Fastify({ logger: false });
    app.get('/stuck', (_request, _reply) => new Promise(() => undefined));
    const failure = await runHttpFuzz(app, {
      name: 'stuck',
      dictionary,
      routes: [{ path: '/stuck', methods: ['GET'] }],
      seed: 3,
      numRuns: 50,
      timeoutMs: 200,
    }).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(HttpFuzzFailure);
    expect(String(failure)).toMatch(/no answer within 200 ms/);
  });
});
