// Mutation testing of @ema/jwt with StrykerJS: `pnpm mutation` in this folder (or at the root). Not part of
// `pnpm test`: a full run takes minutes. Stryker 10 needs Node 22, so the `mutation` script runs it on a Node 22 fetched
// by npx; the tests under mutation are the package's own Vitest suite, through its own `vitest.config.ts` (which sets
// the `@ema/source` condition, so workspace packages resolve to their TypeScript sources as in `pnpm test`).

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  mutate: ['src/**/*.ts'],
  // pnpm does not hoist plugins next to @stryker-mutator/core, where Stryker looks by default: name them.
  plugins: [
    '@stryker-mutator/vitest-runner',
    '@stryker-mutator/typescript-checker',
    // Writes mutation/latest.md, the committed summary, with the explanations of mutation/explained.json.
    import.meta.resolve('@ema/mutation-summary'),
  ],
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.config.ts' },
  // Only the tests that cover a mutant run for it (the Vitest runner always records coverage per test).
  coverageAnalysis: 'perTest',
  // Mutants that do not typecheck are dropped before any test runs, so no survivor is a type error in disguise.
  checkers: ['typescript'],
  tsconfigFile: 'tsconfig.json',
  typescriptChecker: { prioritizePerformanceOverAccuracy: true },
  // Reuses the results of mutants whose code and covering tests did not change since the last run
  // (reports/stryker-incremental.json); `pnpm mutation --force` runs every mutant again.
  incremental: true,
  reporters: ['clear-text', 'progress', 'html', 'json', 'markdown-summary'],
  clearTextReporter: { reportTests: false },
  htmlReporter: { fileName: 'reports/mutation/index.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  thresholds: { high: 95, low: 90, break: 90 },
};
