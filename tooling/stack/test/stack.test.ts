import { describe, expect, it } from 'vitest';
import { freePorts, portInUse } from '../src/ports.js';
import { createStack, launchStack } from '../src/stack.js';
import { alive, fakeApp, holdPort, stopAfterTest } from './fake-app.js';

describe('launchStack', () => {
  it('starts the processes in order and stops them all on request', async () => {
    const [first = 0, second = 0] = await freePorts(2);
    const stack = stopAfterTest(
      await launchStack([fakeApp(first, { name: 'first' }), fakeApp(second, { name: 'second' })]),
    );
    expect(stack.processes.map((app) => app.name)).toEqual(['first', 'second']);
    const pids = stack.processes.map((app) => app.pid);
    expect(pids.every(alive)).toBe(true);

    const outcome = await stack.stop();
    expect(outcome).toEqual({ reason: 'stopped', killed: [] });
    expect(await stack.stopped).toBe(outcome);
    expect(pids.some(alive)).toBe(false);
  });

  it('stops the rest when one process exits on its own, and says which one it was', async () => {
    const [first = 0, second = 0] = await freePorts(2);
    const stack = stopAfterTest(
      await launchStack([
        fakeApp(first, { name: 'first' }),
        fakeApp(second, { name: 'second', env: { FAKE_EXIT_AFTER_MS: '300', FAKE_EXIT_CODE: '5' } }),
      ]),
    );
    const [firstApp] = stack.processes;

    const outcome = await stack.stopped;
    expect(outcome).toMatchObject({
      reason: 'exited',
      process: 'second',
      title: 'the fake app',
      exit: { code: 5, signal: null, requested: false },
      killed: [],
    });
    expect(await firstApp?.exited).toMatchObject({ code: 0, requested: true });
  });

  it('refuses before starting anything when a port is taken, naming the role and its URL', async () => {
    const [first = 0] = await freePorts(1);
    const held = await holdPort();
    try {
      await expect(
        launchStack([fakeApp(first, { name: 'first' }), fakeApp(held.port, { name: 'second' })]),
      ).rejects.toMatchObject({
        code: 'PORT_TAKEN',
        message: `already in use: the fake app (second) at http://localhost:${held.port}, port ${held.port}`,
      });
      expect(await portInUse(first)).toBe(false);
    } finally {
      await held.release();
    }
  });

  it('stops what it started when a process exits while a later one is starting, and names it', async () => {
    const [first = 0, second = 0] = await freePorts(2);
    const starting = launchStack(
      [
        fakeApp(first, { name: 'first', env: { FAKE_EXIT_AFTER_MS: '300' } }),
        fakeApp(second, { name: 'second', env: { FAKE_HEALTH: 'never' } }),
      ],
      { healthTimeoutMs: 15_000 },
    );
    await expect(starting).rejects.toMatchObject({
      code: 'EXITED_DURING_START',
      message: 'the fake app (first) exited during start-up (code 3); stopped the others',
    });
    expect(await portInUse(second)).toBe(false);
  });

  it('stops what it started when the signal aborts', async () => {
    const [first = 0, second = 0] = await freePorts(2);
    const starting = launchStack(
      [fakeApp(first, { name: 'first' }), fakeApp(second, { name: 'second', env: { FAKE_HEALTH: 'never' } })],
      { signal: AbortSignal.timeout(1000) },
    );
    await expect(starting).rejects.toMatchObject({ code: 'STOPPED_DURING_START' });
    expect(await portInUse(first)).toBe(false);
    expect(await portInUse(second)).toBe(false);
  });
});

describe('createStack', () => {
  it('launches processes one by one and kills them at once on kill()', async () => {
    const [first = 0, second = 0] = await freePorts(2);
    const stack = stopAfterTest(createStack({ stopTimeoutMs: 30_000 }));
    const apps = await Promise.all([
      stack.launch(fakeApp(first, { name: 'first', env: { FAKE_ON_SIGTERM: 'ignore' } })),
      stack.launch(fakeApp(second, { name: 'second' })),
    ]);
    stack.kill();
    const outcome = await stack.stopped;
    expect(outcome.reason).toBe('stopped');
    expect([...outcome.killed].sort()).toEqual(['first', 'second']);
    expect(apps.map((app) => alive(app.pid))).toEqual([false, false]);
  });

  it('refuses a launch once the stack is stopping', async () => {
    const [port = 0] = await freePorts(1);
    const stack = createStack();
    await stack.stop();
    await expect(stack.launch(fakeApp(port))).rejects.toMatchObject({ code: 'STOPPED_DURING_START' });
  });
});

describe('processes that are not apps', () => {
  it('stops a stopLast process only once the others have exited, with its own stop signal', async () => {
    const [database = 0, app = 0] = await freePorts(2);
    const stack = stopAfterTest(createStack({ stopTimeoutMs: 400 }));
    // It ignores SIGTERM too: only its own stop signal ends it cleanly.
    const db = await stack.launch({
      ...fakeApp(database, { name: 'database', env: { FAKE_ON_SIGTERM: 'ignore' } }),
      stopLast: true,
      stopSignal: 'SIGINT',
    });
    // The app ignores SIGTERM: it exits only when killed, 400 ms after the stop began.
    const slow = await stack.launch(fakeApp(app, { name: 'app', env: { FAKE_ON_SIGTERM: 'ignore' } }));
    const exitedAt = (running: typeof db) => running.exited.then((exit) => ({ exit, at: performance.now() }));
    const [dbExit, appExit] = [exitedAt(db), exitedAt(slow)];
    const outcome = await stack.stop();
    expect(outcome).toEqual({ reason: 'stopped', killed: ['app'] });
    const [first, last] = [await appExit, await dbExit];
    expect(last.at).toBeGreaterThanOrEqual(first.at);
    // SIGINT reached the fake app's handler: a clean exit, not a death by signal.
    expect(last.exit).toMatchObject({ code: 0, signal: null, killed: false });
  });

  it('waits for a readiness check instead of a health URL', async () => {
    const [port = 0] = await freePorts(1);
    let calls = 0;
    const stack = stopAfterTest(createStack());
    await stack.launch({
      ...fakeApp(port, { name: 'checked' }),
      healthUrl: 'http://localhost:1/never-polled',
      healthCheck: async () => {
        calls += 1;
        return calls >= 3;
      },
    });
    expect(calls).toBe(3);
  });
});
