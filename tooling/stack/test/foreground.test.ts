import { EventEmitter } from 'node:events';
import { describe, expect, it, onTestFinished } from 'vitest';
import { type ForegroundOptions, runInForeground } from '../src/foreground.js';
import { freePorts } from '../src/ports.js';
import type { ProcessSpec } from '../src/process-spec.js';
import { alive, fakeApp, holdPort, printedPid } from './fake-app.js';

/** Runs in the foreground with signals from an emitter and output collected, as `pnpm start` would with `process`. */
function foreground(processes: readonly ProcessSpec[], options: Partial<ForegroundOptions> = {}) {
  const signals = new EventEmitter();
  const printed: string[] = [];
  const errors: string[] = [];
  let showBanner: () => void = () => {};
  const bannerShown = new Promise<void>((resolve) => {
    showBanner = resolve;
  });
  const status = runInForeground({
    processes,
    banner: 'BANNER',
    quiet: false,
    print: (text) => {
      printed.push(text);
      if (text === 'BANNER') showBanner();
    },
    printError: (text) => errors.push(text),
    signals,
    ...options,
  });
  // Whatever the test saw, nothing outlives it: Ctrl-C twice stops and kills (a finished run no longer listens).
  onTestFinished(async () => {
    signals.emit('SIGINT');
    signals.emit('SIGINT');
    await status;
  });
  return { signals, printed, errors, bannerShown, status };
}

describe('runInForeground (pnpm start)', () => {
  it('prints the banner once every process is healthy, and exits 0 after Ctrl-C, with every process stopped', async () => {
    const [first = 0, second = 0] = await freePorts(2);
    const run = foreground([fakeApp(first, { name: 'first' }), fakeApp(second, { name: 'second' })]);
    await run.bannerShown;
    const pids = ['first', 'second'].map((name) =>
      printedPid(
        run.printed.filter((line) => line.startsWith(`[${name}] `)).map((line) => line.slice(name.length + 3)),
      ),
    );
    expect(pids.every(alive)).toBe(true);
    expect(run.printed).toContain(`[second] fake: listening on ${second}`);

    run.signals.emit('SIGINT');
    expect(await run.status).toBe(0);
    expect(run.printed).toContain('Stopping the stack (first, second)…');
    expect(run.printed.at(-1)).toBe('Stopped.');
    expect(run.errors).toEqual([]);
    expect(pids.some(alive)).toBe(false);
    expect(run.signals.listenerCount('SIGINT') + run.signals.listenerCount('SIGTERM')).toBe(0);
  });

  it('renders a banner given as a function only once every process is healthy (it reads what the apps wrote)', async () => {
    const [port = 0] = await freePorts(1);
    let rendered = 0;
    const run = foreground([fakeApp(port, { name: 'only' })], {
      banner: () => {
        rendered += 1;
        return 'BANNER';
      },
    });
    expect(rendered).toBe(0);
    await run.bannerShown;
    expect(rendered).toBe(1);
  });

  it('exits 0 on SIGTERM', async () => {
    const [port = 0] = await freePorts(1);
    const run = foreground([fakeApp(port)]);
    await run.bannerShown;
    run.signals.emit('SIGTERM');
    expect(await run.status).toBe(0);
  });

  it('exits 1 when an app exits on its own, after stopping the others, and names it', async () => {
    const [first = 0, second = 0] = await freePorts(2);
    const run = foreground([
      fakeApp(first, { name: 'first' }),
      fakeApp(second, { name: 'second', env: { FAKE_EXIT_AFTER_MS: '300', FAKE_EXIT_CODE: '9' } }),
    ]);
    expect(await run.status).toBe(1);
    expect(run.errors).toEqual(['[second] exited on its own (code 9); stopped the rest of the stack.']);
  });

  it('exits 1 without starting anything when a port is taken, naming the role and its URL', async () => {
    const held = await holdPort();
    try {
      const run = foreground([fakeApp(held.port)]);
      expect(await run.status).toBe(1);
      expect(run.errors).toEqual([
        `Cannot start the stack: already in use: the fake app (fake) at http://localhost:${held.port}, port ${held.port}. Is another stack still running? Stop it first.`,
      ]);
      expect(run.printed).toEqual([]);
    } finally {
      await held.release();
    }
  });

  it('exits 1 when an app does not become healthy in time', async () => {
    const [port = 0] = await freePorts(1);
    const run = foreground([fakeApp(port, { env: { FAKE_HEALTH: 'never' } })], { healthTimeoutMs: 800 });
    expect(await run.status).toBe(1);
    expect(run.errors).toEqual([
      `the fake app (fake) did not answer http://localhost:${port}/healthz within 0.8 s; stopped it`,
    ]);
    expect(run.printed).not.toContain('BANNER');
  });

  it('exits 0 when Ctrl-C comes during start-up', async () => {
    const [port = 0] = await freePorts(1);
    const run = foreground([fakeApp(port, { env: { FAKE_HEALTH: 'never' } })]);
    setTimeout(() => run.signals.emit('SIGINT'), 500);
    expect(await run.status).toBe(0);
    expect(run.printed).not.toContain('BANNER');
  });

  it('kills at once on a second Ctrl-C, and exits 1', async () => {
    const [port = 0] = await freePorts(1);
    const run = foreground([fakeApp(port, { env: { FAKE_ON_SIGTERM: 'ignore' } })], { stopTimeoutMs: 60_000 });
    await run.bannerShown;
    run.signals.emit('SIGINT');
    await new Promise((resolve) => setTimeout(resolve, 300));
    run.signals.emit('SIGINT');
    expect(await run.status).toBe(1);
    expect(run.errors).toEqual(['[fake] did not stop in time; killed it.']);
  });

  it('prints only warnings, errors and lines that are not JSON logs when quiet', async () => {
    const [port = 0] = await freePorts(1);
    const run = foreground([fakeApp(port)], { quiet: true });
    await run.bannerShown;
    run.signals.emit('SIGINT');
    await run.status;
    expect(run.printed).toContain('[fake] {"level":40,"msg":"fake: a warning"}');
    expect(run.printed).toContain(`[fake] fake: listening on ${port}`);
    expect(run.printed).not.toContain('[fake] {"level":30,"msg":"fake: an information"}');
  });

  it('[KIT-DEV-LOGS-READABLE] prints the apps’ JSON log lines with pino-pretty when pretty, as they are otherwise', async () => {
    const [first = 0, second = 0] = await freePorts(2);
    const pretty = foreground([fakeApp(first, { name: 'fake' })], { pretty: true });
    await pretty.bannerShown;
    expect(pretty.printed.some((line) => /^\[fake\] .*INFO.*fake: an information/.test(line))).toBe(true);
    expect(pretty.printed.some((line) => /^\[fake\] .*WARN.*fake: a warning/.test(line))).toBe(true);
    expect(pretty.printed.some((line) => line.includes('"level":'))).toBe(false);
    // Lines that are not JSON logs are printed as they are.
    expect(pretty.printed).toContain(`[fake] fake: listening on ${first}`);
    pretty.signals.emit('SIGINT');
    expect(await pretty.status).toBe(0);

    const json = foreground([fakeApp(second, { name: 'fake' })], { pretty: false });
    await json.bannerShown;
    expect(json.printed).toContain('[fake] {"level":30,"msg":"fake: an information"}');
  });
});
