/**
 * ID-JAG single use across instances (RFC 7523 §3, EMA replay protection): consumptions of one `jti` racing over two
 * connections to one PostgreSQL database, each in its own thread as two RAS instances would be, yield one success.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { afterAll, describe, expect, it } from 'vitest';
import type { ConsumeJtiTask } from '../support/consume-jti-worker.js';
import { type OpenedRasStore, RAS_STORES } from '../support/ras-stores.js';

const postgres = RAS_STORES.find((store) => store.name === 'PostgreSQL');

/** Starts an instance's thread; resolves its `ready` promise at the start line and `won` with its wins. */
function instanceThread(task: ConsumeJtiTask): { ready: Promise<void>; won: Promise<number> } {
  // The thread runs the TypeScript sources as the tests do: tsx's loader first, then the worker module.
  const tsxPackage = createRequire(import.meta.url).resolve('tsx/package.json');
  const tsx = pathToFileURL(join(dirname(tsxPackage), 'dist/esm/api/index.mjs')).href;
  const module = new URL('../support/consume-jti-worker.ts', import.meta.url).href;
  const worker = new Worker(
    `import(${JSON.stringify(tsx)}).then((api) => { api.register(); return import(${JSON.stringify(module)}); })`,
    {
      eval: true,
      workerData: task,
      execArgv: ['--conditions=@ema/source'],
    },
  );
  let ready: () => void = () => {};
  const atStart = new Promise<void>((resolve) => {
    ready = resolve;
  });
  const won = new Promise<number>((resolve, reject) => {
    worker.on('message', (message: unknown) => {
      if (message === 'ready') ready();
      else if (typeof message === 'number') resolve(message);
    });
    worker.on('error', reject);
    worker.on('exit', (code) => reject(new Error(`worker exited with ${code} before reporting`)));
  });
  return { ready: atStart, won };
}

describe('one jti, two RAS instances on one PostgreSQL database', () => {
  let opened: OpenedRasStore | undefined;
  afterAll(async () => opened?.close());

  it('[RAS-PG-JTI-CONCURRENT] of 50 concurrent consumptions over two connections, exactly one succeeds', async () => {
    if (postgres === undefined) throw new Error('no PostgreSQL store');
    opened = await postgres.open();
    // Opening an instance migrates the schema; the threads then only connect.
    await opened.instance();
    const where = opened.postgres;
    if (where === undefined) throw new Error('the PostgreSQL store names no database');
    const startLine = new SharedArrayBuffer(4);
    const threads = [0, 1].map(() => instanceThread({ ...where, attempts: 25, startLine }));
    await Promise.all(threads.map((thread) => thread.ready));
    // Both threads blocked on the flag: release them together.
    Atomics.store(new Int32Array(startLine), 0, 1);
    Atomics.notify(new Int32Array(startLine), 0);
    const wins = await Promise.all(threads.map((thread) => thread.won));
    expect(wins.reduce((sum, won) => sum + won, 0)).toBe(1);
  }, 30_000);
});
