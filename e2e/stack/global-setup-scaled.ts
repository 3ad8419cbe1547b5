/**
 * Playwright global setup of the `chromium-scaled` project: the stack of `pnpm start:scaled` (PostgreSQL, two
 * instances each of the IdP, the RAS and the MCP server behind HAProxy, the agent host), on the same URLs as the
 * demo stack, so every journey runs unchanged through the balancers. Its output, PostgreSQL's and HAProxy's
 * included, goes to `test-results/scaled-stack.log`.
 */
import { scaledStack, ssfLinkToken } from '@ema/stack';
import { startSuiteStack } from './suite-stack.js';

/** Starts the scaled stack, waits until every process is ready, and returns the teardown. */
export default function globalSetup(): Promise<() => Promise<void>> {
  return startSuiteStack(
    'scaled-stack.log',
    (env, dataRoot) => scaledStack({ env, dataRoot, ssfLinkToken: ssfLinkToken(dataRoot) }).processes,
  );
}
