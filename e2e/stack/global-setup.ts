/**
 * Starts the whole demo stack once for the suite through the repository's launcher (`@ema/stack`, as `pnpm start`
 * does), over the apps built by turbo before `e2e` runs, in a fresh temporary data root so every run begins from the
 * seeded demo world, with the lifetimes of `lifetimes.ts` shortened. Returns the teardown that stops it. The apps'
 * output goes to `test-results/stack.log`, each line prefixed with the app's name.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { demoStack, describeExit, launchStack, type Stack, StackError } from '@ema/stack';
import { shortLifetimeEnvironment } from './lifetimes.js';
import { TEST_CA_FILES_ENV, writeTestCertificates } from './test-ca-files.js';

const e2eDir = fileURLToPath(new URL('..', import.meta.url));
const logFile = join(e2eDir, 'test-results', 'stack.log');
const healthTimeoutMs = 150_000;

/** Playwright global setup: start the stack, wait for every `/healthz`, return the teardown. */
export default async function globalSetup(): Promise<() => Promise<void>> {
  const dataRoot = mkdtempSync(join(tmpdir(), 'ema-e2e-'));
  // The test CA of the official SDK's tests: the stack trusts it (NODE_EXTRA_CA_CERTS), the tests serve with it.
  const testCa = await writeTestCertificates();
  process.env[TEST_CA_FILES_ENV] = testCa.dir;
  const removeData = (): void => {
    rmSync(testCa.dir, { recursive: true, force: true });
    if (process.env.EMA_E2E_KEEP_DATA === '1') console.log(`e2e: stack data kept in ${dataRoot}`);
    else rmSync(dataRoot, { recursive: true, force: true });
  };
  mkdirSync(join(e2eDir, 'test-results'), { recursive: true });
  writeFileSync(logFile, '');

  let stack: Stack;
  try {
    const apps = demoStack({
      env: {
        ...process.env,
        ...shortLifetimeEnvironment(),
        NODE_ENV: 'production',
        NODE_EXTRA_CA_CERTS: testCa.caFile,
      },
      dataRoot,
    });
    stack = await launchStack(
      apps.map((app) => app.spec),
      { output: { file: logFile }, healthTimeoutMs },
    );
  } catch (error) {
    removeData();
    if (error instanceof StackError && error.code === 'PORT_TAKEN') {
      throw new Error(
        `e2e: refusing to start: the demo ports are ${error.message}. ` +
          'Stop the running stack (or whatever holds these ports) and run the suite again.',
      );
    }
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`e2e: the demo stack did not start: ${reason}.\n--- ${logFile} (tail) ---\n${tail(logFile)}`);
  }

  return async () => {
    const outcome = await stack.stop();
    if (outcome.reason === 'exited') {
      console.error(
        `e2e: ${outcome.process} exited on its own during the run (${describeExit(outcome.exit)}); see ${logFile}`,
      );
    }
    removeData();
  };
}

function tail(file: string, lines = 40): string {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}
