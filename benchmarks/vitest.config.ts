import { emaVitestConfig } from '@ema/vitest-config';

// The smoke run starts five processes and drives a few hundred requests per scenario. Alone it takes well under two
// minutes; beside other suites on a 2-core machine it can take several, so the ceiling is generous. It asserts
// correctness only, never speed.
export default emaVitestConfig({ testTimeout: 360_000 });
