import { expect, test } from '@playwright/test';
import { URLS, USERS } from '../stack/demo-world.js';
import { AgentHost } from './support/agent-host.js';

const PROTECTED_PAGES = ['/servers', '/servers/acme-tickets', '/inspector'];

test.describe('Signing out', () => {
  test('[E2E-SIGN-OUT] ends the agent host session; the protected pages redirect to sign-in', async ({ browser }) => {
    const alice = await AgentHost.signIn(browser, USERS.alice);
    const { page } = alice;
    await alice.connect();
    await alice.expectConnected();

    const sessionCookies = await alice.context.cookies(URLS.agentHost);
    expect(sessionCookies.length).toBeGreaterThan(0);
    await alice.signOut();
    await expect(page).toHaveURL((url) => url.origin === URLS.agentHost);
    await expect(page.getByTestId('sign-in')).toBeVisible();
    await expect(page.getByTestId('user-name')).toHaveCount(0);

    for (const path of PROTECTED_PAGES) {
      await page.goto(`${URLS.agentHost}${path}`);
      await expect(page, path).toHaveURL((url) => url.origin === URLS.agentHost && url.pathname !== path);
      await expect(page.getByTestId('sign-in'), path).toBeVisible();
      await expect(page.getByTestId('user-name'), path).toHaveCount(0);
    }

    // The session ended on the server, not only in this browser: the old session cookie, replayed, opens nothing.
    const replay = await browser.newContext();
    await replay.addCookies(sessionCookies);
    const replayed = await replay.newPage();
    await replayed.goto(`${URLS.agentHost}/servers`);
    await expect(replayed.getByTestId('sign-in')).toBeVisible();
    await expect(replayed.getByTestId('user-name')).toHaveCount(0);
    await replay.close();

    // Signing in again asks for the password at the IdP (the IdP session ended too).
    await page.getByTestId('sign-in').click();
    await expect(page).toHaveURL((url) => url.origin === URLS.idp);
    await expect(page.getByLabel('Password')).toBeVisible();
    await alice.close();
  });
});
