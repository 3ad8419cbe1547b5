import { emaVitestConfig } from '@ema/vitest-config';

export default emaVitestConfig({ testTimeout: 60_000 });
