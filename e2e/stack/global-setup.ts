/**
 * Playwright global setup of the `chromium` project: the demo stack of `pnpm start` (each role once, on SQLite),
 * started as `suite-stack.ts` describes. Its output goes to `test-results/stack.log`.
 */
import { demoStack, ssfLinkToken } from '@ema/stack';
import { startSuiteStack } from './suite-stack.js';

/** Starts the stack, waits for every `/healthz`, and returns the teardown. */
export default function globalSetup(): Promise<() => Promise<void>> {
  return startSuiteStack('stack.log', (env, dataRoot) =>
    demoStack({ env, dataRoot, ssfLinkToken: ssfLinkToken(dataRoot) }).map((app) => app.spec),
  );
}
