import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { onTestFinished } from 'vitest';
import { appProcess } from '../src/app-process.js';
import type { ProcessSpec } from '../src/process-spec.js';
import type { Role } from '../src/roles.js';

/** The directory of `fixtures/fake-app.mjs`, standing in for the repository root. */
const FIXTURES = fileURLToPath(new URL('./fixtures/', import.meta.url));

/** The fake app as a role, so the tests go through the same path as the real apps. */
export const FAKE_ROLE: Role = {
  name: 'fake',
  title: 'the fake app',
  packageDir: '.',
  entry: { dist: 'fake-app.mjs', source: 'fake-app.mjs' },
  url: { env: 'FAKE_URL', default: 'http://localhost:1' },
  portEnv: 'FAKE_PORT',
  healthPath: '/healthz',
};

/** The fake app's process on `port`, with its behaviour set by FAKE_* variables. */
export function fakeApp(port: number, options: { name?: string; env?: Record<string, string> } = {}): ProcessSpec {
  return appProcess(FAKE_ROLE, {
    repositoryRoot: FIXTURES,
    url: `http://localhost:${port}`,
    env: { PATH: process.env.PATH, FAKE_PORT: String(port), ...options.env },
    ...(options.name === undefined ? {} : { name: options.name }),
  });
}

/** True while a process with this id exists. */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The pid the fake app printed first (`fake: pid <n>`). */
export function printedPid(lines: readonly string[]): number {
  const line = lines.find((candidate) => candidate.startsWith('fake: pid '));
  if (line === undefined) throw new Error('the fake app printed no pid');
  return Number(line.slice('fake: pid '.length));
}

/** Something else listening on a free port: the port a test then asks the launcher to use. */
export async function holdPort(): Promise<{ port: number; release: () => Promise<void> }> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, 'localhost', resolve));
  const address = server.address();
  if (typeof address !== 'object' || address === null) throw new Error('no port');
  return { port: address.port, release: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** Stops it when the test ends, passed or failed, so that no fake app outlives its test. */
export function stopAfterTest<T extends { stop(): Promise<unknown> }>(running: T): T {
  onTestFinished(async () => {
    await running.stop();
  });
  return running;
}
