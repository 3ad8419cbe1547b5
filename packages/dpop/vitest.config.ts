import { emaVitestConfig } from '@ema/vitest-config';

export default emaVitestConfig();
