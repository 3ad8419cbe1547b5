import { emaVitestConfig } from '@ema/vitest-config';

// The smoke run starts five processes and drives a few hundred requests per scenario: allow it two minutes.
export default emaVitestConfig({ testTimeout: 120_000 });
