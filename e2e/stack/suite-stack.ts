/**
 * What both global setups share: a fresh temporary data root (every run begins from the seeded demo world), the test
 * CA the stack trusts, the lifetimes of `lifetimes.ts` shortened, the processes started through the repository's
 * launcher (`@ema/stack`) over the apps built by turbo before `e2e` runs, their output in a log file with each line
 * prefixed by the process's name, and the teardown that stops them.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describeExit, type Environment, launchStack, type ProcessSpec, type Stack, StackError } from '@ema/stack';
import { shortLifetimeEnvironment } from './lifetimes.js';
import { TEST_CA_FILES_ENV, writeTestCertificates } from './test-ca-files.js';

const e2eDir = fileURLToPath(new URL('..', import.meta.url));
const healthTimeoutMs = 150_000;

/** Builds the processes of one stack from the suite's environment and its data root. */
export type SuiteProcesses = (env: Environment, dataRoot: string) => readonly ProcessSpec[];

/** Starts the stack `processes` describes, waits for every process to be ready, and returns the teardown. */
export async function startSuiteStack(logName: string, processes: SuiteProcesses): Promise<() => Promise<void>> {
  const logFile = join(e2eDir, 'test-results', logName);
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
    const env = {
      ...process.env,
      ...shortLifetimeEnvironment(),
      NODE_ENV: 'production',
      NODE_EXTRA_CA_CERTS: testCa.caFile,
    };
    stack = await launchStack(processes(env, dataRoot), { output: { file: logFile }, healthTimeoutMs });
  } catch (error) {
    removeData();
    if (error instanceof StackError && error.code === 'PORT_TAKEN') {
      throw new Error(
        `e2e: refusing to start: the demo ports are ${error.message}. ` +
          'Stop the running stack (or whatever holds these ports) and run the suite again.',
      );
    }
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`e2e: the stack did not start: ${reason}.\n--- ${logFile} (tail) ---\n${tail(logFile)}`);
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
