// The Vitest configuration of the mutation run (`stryker.config.mjs`): the package's own, without the tests of the
// SQLite key storage. Stryker runs on a Node 22 fetched by npx, for which the workspace's better-sqlite3 (built for
// the project's Node 20) does not load; those tests cover only `src/keys` and `src/sqlite`, which are not mutated.
import { emaVitestConfig } from '@ema/vitest-config';
import { configDefaults, mergeConfig } from 'vitest/config';

export default mergeConfig(emaVitestConfig(), {
  test: {
    exclude: [...configDefaults.exclude, 'test/keys/key-store.test.ts', 'test/keys/key-store-prepublish.test.ts'],
  },
});
