import { type ChildProcess, spawn } from 'node:child_process';

/** How to start one server as its own process. */
export interface AppProcessSpec {
  name: string;
  /** Working directory (the app's package directory). */
  cwd: string;
  /** Node arguments before the entry point (e.g. `--cpu-prof`, or the tsx loader for source runs). */
  nodeArgs: readonly string[];
  /** The entry point, relative to `cwd` (`dist/server.js`). */
  entry: string;
  env: Readonly<Record<string, string>>;
  /** Polled until it answers 200. */
  healthUrl: string;
}

/** A running server process. */
export interface AppProcess {
  readonly name: string;
  readonly pid: number;
  /** The last lines the process wrote (its logs run at `warn`, so this is mostly empty). */
  output(): string[];
  stop(): Promise<void>;
}

const OUTPUT_LINES = 200;

// Servers this harness started and has not seen exit. Should the harness itself end without stopping them (a test
// time-out that ends the worker, an uncaught error), they die with it instead of outliving it on their ports.
const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/**
 * Spawns a server (`node <nodeArgs> <entry>`) with exactly the given environment plus PATH, and resolves once its
 * health URL answers 200. Rejects with the process's last output if it exits or stays unhealthy for 30 seconds.
 */
export async function startAppProcess(spec: AppProcessSpec, timeoutMs = 30_000): Promise<AppProcess> {
  const child = spawn(process.execPath, [...spec.nodeArgs, spec.entry], {
    cwd: spec.cwd,
    env: { PATH: process.env.PATH ?? '', ...spec.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  for (const stream of [child.stdout, child.stderr]) {
    let pending = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      pending += chunk;
      const complete = pending.split('\n');
      pending = complete.pop() ?? '';
      lines.push(...complete);
      if (lines.length > OUTPUT_LINES) lines.splice(0, lines.length - OUTPUT_LINES);
    });
  }
  running.add(child);
  const exited = new Promise<string>((resolve) => {
    child.once('exit', (code, signal) => {
      running.delete(child);
      resolve(`${spec.name} exited (${signal ?? code})`);
    });
  });
  const pid = child.pid;
  if (pid === undefined) throw new Error(`${spec.name}: could not spawn ${spec.entry}`);

  const failure = await Promise.race([waitHealthy(spec.healthUrl, timeoutMs), exited]);
  if (failure !== undefined) {
    await stopChild(child);
    throw new Error(`${spec.name}: ${failure}\n${lines.slice(-40).join('\n')}`);
  }
  return {
    name: spec.name,
    pid,
    output: () => [...lines],
    stop: () => stopChild(child),
  };
}

async function waitHealthy(url: string, timeoutMs: number): Promise<string | undefined> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(1000) });
      if (response.ok) return undefined;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return `not healthy at ${url} within ${timeoutMs / 1000} s`;
}

/** SIGTERM (the apps close cleanly on it, which also flushes `--cpu-prof` profiles), SIGKILL after 10 seconds. */
function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
