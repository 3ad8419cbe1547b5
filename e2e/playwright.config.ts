import { defineConfig, devices } from '@playwright/test';
import { URLS } from './stack/demo-world.js';

/**
 * The browser suite. Playwright's own Chromium is the default; where it cannot be downloaded, set
 * CHROMIUM_PATH (for example /usr/bin/chromium from Debian's `chromium` package).
 */
const executablePath = process.env.CHROMIUM_PATH || undefined;
const runningAsRoot = typeof process.getuid === 'function' && process.getuid() === 0;

export default defineConfig({
  testDir: './tests',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 90_000,
  expect: { timeout: 15_000 },
  reporter: [['list']],
  globalSetup: './stack/global-setup.ts',
  use: {
    baseURL: URLS.agentHost,
    trace: 'retain-on-failure',
    launchOptions: {
      ...(executablePath ? { executablePath } : {}),
      args: [
        ...(runningAsRoot ? ['--no-sandbox'] : []),
        '--disable-background-networking',
        '--disable-component-update',
        '--no-first-run',
        '--disable-sync',
        '--disable-gpu',
      ],
    },
  },
  projects: [{ name: 'chromium', use: { ...devices['Desktop Chrome'] } }],
});
