import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type LaunchOptions, launchProcess } from '../src/launch-process.js';
import { freePorts } from '../src/ports.js';
import { alive, fakeApp, holdPort, printedPid, stopAfterTest } from './fake-app.js';

describe('launchProcess', () => {
  it('starts a process, resolves once its health check answers, and stops it with SIGTERM', async () => {
    const [port = 0] = await freePorts(1);
    const app = stopAfterTest(await launchProcess(fakeApp(port)));

    expect(app).toMatchObject({ name: 'fake', title: 'the fake app', url: `http://localhost:${port}` });
    expect(alive(app.pid)).toBe(true);
    expect((await fetch(`http://localhost:${port}/healthz`)).status).toBe(200);
    expect(app.output()).toContain(`fake: listening on ${port}`);

    const exit = await app.stop();
    expect(exit).toEqual({ code: 0, signal: null, requested: true, killed: false });
    expect(alive(app.pid)).toBe(false);
    expect(await app.exited).toBe(exit);
  });

  it('refuses a port that is already taken, naming the role and its URL, and starts nothing', async () => {
    const held = await holdPort();
    try {
      const lines: string[] = [];
      await expect(
        launchProcess(fakeApp(held.port), { output: { lines: (line) => lines.push(line) } }),
      ).rejects.toMatchObject({
        code: 'PORT_TAKEN',
        message: `the fake app (fake) cannot start: http://localhost:${held.port} (port ${held.port}) is already in use`,
      });
      expect(lines).toEqual([]);
    } finally {
      await held.release();
    }
  });

  it('reports a process that exits during start-up, with its last output lines', async () => {
    const [port = 0] = await freePorts(1);
    const error = await launchProcess(fakeApp(port, { env: { FAKE_EXIT_AT_START: '7' } })).catch((caught) => caught);
    expect(error).toMatchObject({ name: 'StackError', code: 'EXITED_DURING_START' });
    expect(error.message).toContain(
      `the fake app (fake) exited during start-up (code 7) before answering http://localhost:${port}/healthz`,
    );
    expect(error.message).toContain('fake: giving up before listening');
  });

  it('gives up on a process that never answers its health check, and stops it', async () => {
    const [port = 0] = await freePorts(1);
    const lines: string[] = [];
    const options: LaunchOptions = { healthTimeoutMs: 800, output: { lines: (line) => lines.push(line) } };
    await expect(launchProcess(fakeApp(port, { env: { FAKE_HEALTH: 'never' } }), options)).rejects.toMatchObject({
      code: 'HEALTH_TIMEOUT',
      message: `the fake app (fake) did not answer http://localhost:${port}/healthz within 0.8 s; stopped it`,
    });
    expect(alive(printedPid(lines))).toBe(false);
  });

  it('sends SIGKILL to a process still running after the stop time-out', async () => {
    const [port = 0] = await freePorts(1);
    const app = stopAfterTest(
      await launchProcess(fakeApp(port, { env: { FAKE_ON_SIGTERM: 'ignore' } }), { stopTimeoutMs: 500 }),
    );
    const exit = await app.stop();
    expect(exit).toEqual({ code: null, signal: 'SIGKILL', requested: true, killed: true });
    expect(app.output()).toContain('fake: ignoring the signal');
  });

  it('reports an exit of its own as not requested', async () => {
    const [port = 0] = await freePorts(1);
    const app = stopAfterTest(
      await launchProcess(fakeApp(port, { env: { FAKE_EXIT_AFTER_MS: '200', FAKE_EXIT_CODE: '4' } })),
    );
    expect(await app.exited).toEqual({ code: 4, signal: null, requested: false, killed: false });
  });

  it('gives up a start when the signal aborts, and stops the process', async () => {
    const [port = 0] = await freePorts(1);
    const lines: string[] = [];
    const signal = AbortSignal.timeout(500);
    const starting = launchProcess(fakeApp(port, { env: { FAKE_HEALTH: 'never' } }), {
      signal,
      output: { lines: (line) => lines.push(line) },
    });
    await expect(starting).rejects.toMatchObject({ code: 'STOPPED_DURING_START' });
    expect(alive(printedPid(lines))).toBe(false);
  });

  it('appends the lines of several processes to one log file, each prefixed with its name', async () => {
    const file = join(tmpdir(), `ema-stack-test-${process.pid}-${Date.now()}.log`);
    const [first = 0, second = 0] = await freePorts(2);
    try {
      const apps = await Promise.all([
        launchProcess(fakeApp(first, { name: 'first' }), { output: { file } }).then(stopAfterTest),
        launchProcess(fakeApp(second, { name: 'second' }), { output: { file } }).then(stopAfterTest),
      ]);
      await Promise.all(apps.map((app) => app.stop()));
      const lines = readFileSync(file, 'utf8').split('\n');
      expect(lines).toContain(`[first] fake: listening on ${first}`);
      expect(lines).toContain(`[second] fake: listening on ${second}`);
      expect(lines).toContain('[second] {"level":40,"msg":"fake: a warning"}');
    } finally {
      rmSync(file, { force: true });
    }
  });

  it('reports a command that cannot be started (a spec written directly, not derived from a role)', async () => {
    const [port = 0] = await freePorts(1);
    const spec = {
      name: 'missing',
      title: 'a missing server',
      command: join(tmpdir(), 'no-such-command-here'),
      args: [],
      cwd: tmpdir(),
      env: {},
      url: `http://localhost:${port}`,
      healthUrl: `http://localhost:${port}/ready`,
    };
    await expect(launchProcess(spec)).rejects.toMatchObject({
      code: 'SPAWN_FAILED',
      message: expect.stringContaining('a missing server (missing) could not start'),
    });
  });
});
