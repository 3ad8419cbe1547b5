import { expect, type Page } from '@playwright/test';
import { type DemoUser, URLS } from '../../stack/demo-world.js';

/**
 * Fills the IdP's sign-in page like a person: the page must be the IdP's own (the password is typed nowhere else),
 * with the fields "Username" and "Password" and the button "Sign in".
 */
export async function signInAtIdp(page: Page, user: DemoUser): Promise<void> {
  await expect(page).toHaveURL((url) => url.origin === URLS.idp);
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await page.getByLabel('Username').fill(user.username);
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}
