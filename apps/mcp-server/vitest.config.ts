import { emaVitestConfig } from '@ema/vitest-config';

// A throwaway PostgreSQL server for the run: the storage tests and one app test run on it as well as on SQLite.
export default emaVitestConfig({ globalSetup: ['@ema/postgres-server/vitest-global-setup'] });
