import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Locator, Page } from '@playwright/test';

/**
 * The README's screenshots live in `docs/screenshots/`. A run refreshes them there when `EMA_E2E_SCREENSHOTS=1`;
 * otherwise it writes them under `test-results/screenshots/`, so that an ordinary test run leaves the tree clean.
 */
const directory = fileURLToPath(
  new URL(
    process.env.EMA_E2E_SCREENSHOTS === '1' ? '../../../docs/screenshots/' : '../../test-results/screenshots/',
    import.meta.url,
  ),
);

/** The screenshots the README shows. */
export type ScreenshotName =
  | 'sign-in'
  | 'connected-server'
  | 'flow-inspector'
  | 'flow-inspector-id-jag'
  | 'idp-admin-console'
  | 'step-up-passkey';

function path(name: ScreenshotName): string {
  mkdirSync(directory, { recursive: true });
  return join(directory, `${name}.png`);
}

/** Saves the page from its top, down to `maxHeight` pixels of the full page (default: the viewport). */
export async function savePageScreenshot(page: Page, name: ScreenshotName, maxHeight?: number): Promise<void> {
  const width = page.viewportSize()?.width ?? 1280;
  if (maxHeight === undefined) {
    await page.screenshot({ path: path(name), animations: 'disabled' });
    return;
  }
  // A string expression: this package type-checks without the DOM library.
  const height = Number(await page.evaluate('document.documentElement.scrollHeight'));
  await page.screenshot({
    path: path(name),
    animations: 'disabled',
    fullPage: true,
    clip: { x: 0, y: 0, width, height: Math.min(height, maxHeight) },
  });
}

/** Saves one region of a page. */
export async function saveElementScreenshot(element: Locator, name: ScreenshotName): Promise<void> {
  await element.screenshot({ path: path(name), animations: 'disabled' });
}
