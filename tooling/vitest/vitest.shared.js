// Shared Vitest configuration: tests run against the TypeScript sources of the workspace packages
// (the "@ema/source" export condition), so no build is needed before `pnpm test`.
import { defineConfig } from 'vitest/config';

const conditions = ['@ema/source', 'node', 'import', 'module', 'default'];

/** @param {{ testTimeout?: number; hookTimeout?: number }} [overrides] */
export function emaVitestConfig(overrides = {}) {
  return defineConfig({
    resolve: { conditions },
    ssr: { resolve: { conditions, externalConditions: conditions } },
    test: {
      include: ['test/**/*.test.ts'],
      environment: 'node',
      testTimeout: overrides.testTimeout ?? 20_000,
      // Starting or stopping a stack of apps can take longer than Vitest's 10 s default on a busy machine.
      hookTimeout: overrides.hookTimeout ?? 60_000,
      pool: 'forks',
    },
  });
}
