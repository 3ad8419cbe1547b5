// Shared Vitest configuration: tests run against the TypeScript sources of the workspace packages
// (the "@ema/source" export condition), so no build is needed before `pnpm test`.
import { defineConfig } from 'vitest/config';

const conditions = ['@ema/source', 'node', 'import', 'module', 'default'];

/**
 * @param {{ testTimeout?: number, hookTimeout?: number, globalSetup?: string[] }} [overrides] `globalSetup` takes
 *   module specifiers, e.g. `'@ema/postgres-server/vitest-global-setup'` for a throwaway PostgreSQL server per run.
 */
export function emaVitestConfig(overrides = {}) {
  return defineConfig({
    resolve: { conditions },
    // Vitest passes `ssr.resolve.conditions` to its workers as Node `--conditions`. Node already applies its own
    // (`node`, and `import` or `require`); adding `import` would hand `require('pg-pool')` inside `pg` the ES
    // module build, which a CommonJS `class extends` cannot use. So only the workspace's source condition is added.
    ssr: { resolve: { conditions: ['@ema/source', 'node'], externalConditions: ['@ema/source'] } },
    test: {
      include: ['test/**/*.test.ts'],
      environment: 'node',
      testTimeout: overrides.testTimeout ?? 20_000,
      // Starting or stopping a stack of apps can take longer than Vitest's 10 s default on a busy machine.
      hookTimeout: overrides.hookTimeout ?? 60_000,
      pool: 'forks',
      ...(overrides.globalSetup === undefined ? {} : { globalSetup: overrides.globalSetup }),
    },
  });
}
