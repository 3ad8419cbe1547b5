import { emaVitestConfig } from '@ema/vitest-config';

export default emaVitestConfig({ globalSetup: ['@ema/postgres-server/vitest-global-setup'] });
