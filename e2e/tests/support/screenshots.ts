import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Locator, Page } from '@playwright/test';

/** The README's screenshots live in `docs/screenshots/`; the suite refreshes them on every run. */
const directory = fileURLToPath(new URL('../../../docs/screenshots/', import.meta.url));

/** The screenshots the README shows. */
export type ScreenshotName = 'sign-in' | 'connected-server' | 'flow-inspector' | 'idp-admin-console';

/** Saves a README screenshot of the page (or of one region of it). */
export async function saveScreenshot(target: Page | Locator, name: ScreenshotName): Promise<void> {
  mkdirSync(directory, { recursive: true });
  await target.screenshot({ path: join(directory, `${name}.png`), animations: 'disabled' });
}
