import { emaVitestConfig } from '@ema/vitest-config';

const config = emaVitestConfig({ testTimeout: 60_000 });
// Vitest hands `ssr.resolve.conditions` to the test process as `node --conditions`, which then apply to every
// CommonJS `require` too. Express's router `require`s `is-promise`, whose `import` condition is an ES module: under a
// user `import` condition it would get the module namespace instead of the function. Only the workspace's own
// `@ema/source` condition is added here; Vite adds `import` or `require` per import by itself.
if (config.ssr?.resolve) {
  config.ssr.resolve.conditions = ['@ema/source'];
  config.ssr.resolve.externalConditions = ['@ema/source'];
}
export default config;
