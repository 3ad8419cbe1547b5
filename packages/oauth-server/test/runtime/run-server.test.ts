import Fastify, { type FastifyInstance } from 'fastify';
import { describe, expect, it } from 'vitest';
import { ConfigError, INSECURE_LOOPBACK_OPT_OUT, runServer, type ServerProcess } from '../../src/runtime.js';

interface FakeProcess extends ServerProcess {
  readonly listeners: Map<string, () => void>;
  readonly exits: number[];
  readonly errors: string[];
  exited(): Promise<number>;
}

function fakeProcess(): FakeProcess {
  const listeners = new Map<string, () => void>();
  const exits: number[] = [];
  const errors: string[] = [];
  let resolveExit: (code: number) => void = () => {};
  const exitedPromise = new Promise<number>((resolve) => {
    resolveExit = resolve;
  });
  return {
    listeners,
    exits,
    errors,
    once: (signal, listener) => listeners.set(signal, listener),
    exit: (code) => {
      exits.push(code);
      resolveExit(code);
    },
    writeError: (text) => errors.push(text),
    exited: () => exitedPromise,
  };
}

interface Logged {
  level: number;
  msg: string;
}

function appWithLogLines(lines: Logged[]): FastifyInstance {
  const stream = { write: (line: string) => lines.push(JSON.parse(line) as Logged) };
  return Fastify({ logger: { level: 'info', stream } });
}

const config = { host: '127.0.0.1', port: 0, allowInsecureLoopback: true };

describe('runServer', () => {
  it('warns, listens, then closes and exits 0 on the first signal only', async () => {
    const proc = fakeProcess();
    const lines: Logged[] = [];
    let app: FastifyInstance | undefined;
    let listening = false;
    await runServer({
      name: 'demo',
      loadConfig: () => config,
      buildApp: async () => {
        app = appWithLogLines(lines);
        return app;
      },
      warn: (built) => built.log.warn('demo: app-specific warning'),
      onListening: (built) => {
        listening = built.server.listening;
      },
      process: proc,
    });
    expect(listening).toBe(true);
    expect(proc.errors).toEqual([]);
    const warnings = lines.filter((line) => line.level === 40).map((line) => line.msg);
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toContain(`demo: ${INSECURE_LOOPBACK_OPT_OUT} is set`);
    expect(warnings[1]).toBe('demo: app-specific warning');
    expect([...proc.listeners.keys()].sort()).toEqual(['SIGINT', 'SIGTERM']);

    proc.listeners.get('SIGTERM')?.();
    proc.listeners.get('SIGINT')?.();
    expect(await proc.exited()).toBe(0);
    expect(proc.exits).toEqual([0]);
    expect(app?.server.listening).toBe(false);
    expect(lines.filter((line) => line.msg === 'demo: shutting down')).toHaveLength(1);
  });

  it('does not print the insecure-loopback warning when the opt-out is off', async () => {
    const proc = fakeProcess();
    const lines: Logged[] = [];
    await runServer({
      name: 'demo',
      loadConfig: () => ({ ...config, allowInsecureLoopback: false }),
      buildApp: async () => appWithLogLines(lines),
      process: proc,
    });
    expect(lines.filter((line) => line.level === 40)).toEqual([]);
    proc.listeners.get('SIGINT')?.();
    expect(await proc.exited()).toBe(0);
  });

  it('reports a ConfigError by its message (which names the option) and exits 1 without building the app', async () => {
    const proc = fakeProcess();
    let built = false;
    await runServer({
      name: 'demo',
      loadConfig: () => {
        throw new ConfigError('DEMO_PORT: must be an integer');
      },
      buildApp: async () => {
        built = true;
        return Fastify();
      },
      process: proc,
    });
    expect(built).toBe(false);
    expect(proc.errors).toEqual(['demo: invalid configuration: DEMO_PORT: must be an integer\n']);
    expect(proc.exits).toEqual([1]);
  });

  it('reports any other start failure with its stack and exits 1', async () => {
    const proc = fakeProcess();
    await runServer({
      name: 'demo',
      loadConfig: () => config,
      buildApp: async () => {
        throw new Error('database is locked');
      },
      process: proc,
    });
    expect(proc.errors).toHaveLength(1);
    expect(proc.errors[0]).toMatch(/^demo: failed to start: Error: database is locked\n {4}at /);
    expect(proc.exits).toEqual([1]);
  });
});
