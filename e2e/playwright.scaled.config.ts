import { defineConfig, devices } from '@playwright/test';
import base from './playwright.config.js';

/**
 * The browser suite again, every journey unchanged, against the scaled stack (`pnpm start:scaled`): PostgreSQL, two
 * instances each of the IdP, the RAS and the MCP server behind HAProxy on the demo URLs, and the agent host. Only the
 * global setup and the project differ from `playwright.config.ts`; the results go under `test-results/scaled/`.
 */
export default defineConfig({
  ...base,
  globalSetup: './stack/global-setup-scaled.ts',
  outputDir: './test-results/scaled',
  projects: [{ name: 'chromium-scaled', use: { ...devices['Desktop Chrome'] } }],
});
