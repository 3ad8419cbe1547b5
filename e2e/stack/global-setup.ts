/**
 * Starts the whole demo stack once for the suite, the way a person would (`scripts/start-stack.mjs`, over the apps
 * built by turbo before `e2e` runs), in a fresh temporary data root so every run begins from the seeded demo world,
 * with the lifetimes of `lifetimes.ts` shortened. Returns the teardown that stops it. The stack's output goes to
 * `test-results/stack.log`.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { URLS } from './demo-world.js';
import { shortLifetimeEnvironment } from './lifetimes.js';
import { portInUse } from './ports.js';

const e2eDir = fileURLToPath(new URL('..', import.meta.url));
const repoRoot = join(e2eDir, '..');
const logFile = join(e2eDir, 'test-results', 'stack.log');
const healthTimeoutMs = 150_000;
const stopTimeoutMs = 15_000;

const ROLES = [
  ['IdP', URLS.idp],
  ['authorization server', URLS.authorizationServer],
  ['MCP server', URLS.mcpServer],
  ['agent host', URLS.agentHost],
] as const;

/** Playwright global setup: start the stack, wait for every `/healthz`, return the teardown. */
export default async function globalSetup(): Promise<() => Promise<void>> {
  const taken: string[] = [];
  for (const [role, url] of ROLES) {
    if (await portInUse(Number(new URL(url).port))) taken.push(`${role} (${url})`);
  }
  if (taken.length > 0) {
    throw new Error(
      `e2e: refusing to start: the demo ports are already in use by ${taken.join(', ')}. ` +
        'Stop the running stack (or whatever holds these ports) and run the suite again.',
    );
  }

  const dataRoot = mkdtempSync(join(tmpdir(), 'ema-e2e-'));
  mkdirSync(join(e2eDir, 'test-results'), { recursive: true });
  const log = createWriteStream(logFile);
  const stack = spawn(process.execPath, [join(repoRoot, 'scripts', 'start-stack.mjs')], {
    cwd: repoRoot,
    env: { ...process.env, ...shortLifetimeEnvironment(), EMA_DATA_ROOT: dataRoot, NODE_ENV: 'production' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  stack.stdout?.pipe(log, { end: false });
  stack.stderr?.pipe(log, { end: false });
  const exited = new Promise<number | null>((resolve) => stack.once('close', (code) => resolve(code)));

  const teardown = async (): Promise<void> => {
    await stop(stack, exited);
    await new Promise<void>((resolve) => log.end(resolve));
    if (process.env.EMA_E2E_KEEP_DATA === '1') console.log(`e2e: stack data kept in ${dataRoot}`);
    else rmSync(dataRoot, { recursive: true, force: true });
  };

  try {
    await Promise.race([
      waitHealthy(),
      exited.then((code) => {
        throw new Error(`the stack exited during start-up (code ${code})`);
      }),
    ]);
  } catch (error) {
    await teardown();
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`e2e: the demo stack did not start: ${reason}.\n--- ${logFile} (tail) ---\n${tail(logFile)}`);
  }
  return teardown;
}

async function waitHealthy(): Promise<void> {
  const deadline = Date.now() + healthTimeoutMs;
  for (const [role, url] of ROLES) {
    for (;;) {
      try {
        const response = await fetch(new URL('/healthz', url), { signal: AbortSignal.timeout(1000) });
        if (response.ok) break;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline)
        throw new Error(`the ${role} did not answer ${url}/healthz within ${healthTimeoutMs / 1000} s`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}

async function stop(stack: ChildProcess, exited: Promise<number | null>): Promise<void> {
  if (stack.exitCode !== null || stack.signalCode !== null) return;
  stack.kill('SIGTERM');
  const timer = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), stopTimeoutMs));
  if ((await Promise.race([exited, timer])) === 'timeout') {
    // start-stack.mjs escalates on a second signal: it SIGKILLs the apps it started.
    stack.kill('SIGINT');
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 2000))]);
  }
}

function tail(file: string, lines = 40): string {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}
