import { expect, test } from '@playwright/test';
import { URLS, USERS } from '../stack/demo-world.js';
import { outlivedAfterMs, SHORT_LIFETIMES } from '../stack/lifetimes.js';
import { AgentHost, issuedToken } from './support/agent-host.js';

test.describe('Short token lifetimes (set by configuration for this suite)', () => {
  test('[E2E-SILENT-REMINT] Alice keeps working past the access-token and ID-JAG lifetimes without signing in again', async ({
    browser,
  }) => {
    test.setTimeout(90_000);
    const alice = await AgentHost.signIn(browser, USERS.alice);
    const { page } = alice;
    const idpPages: string[] = [];
    alice.context.on('request', (request) => {
      if (request.isNavigationRequest() && new URL(request.url()).origin !== URLS.agentHost)
        idpPages.push(request.url());
    });

    await alice.connect();
    await alice.expectConnected();

    // The tokens of this connection carry the shortened lifetimes.
    await alice.openInspector();
    const idJag = await issuedToken(alice.inspectorStep('token-exchange').getByTestId('exchange').first());
    expect(Number(idJag.claims.exp) - Number(idJag.claims.iat)).toBe(SHORT_LIFETIMES.idJagSeconds);
    const accessToken = await issuedToken(alice.inspectorStep('jwt-bearer').getByTestId('exchange').first());
    expect(Number(accessToken.claims.exp) - Number(accessToken.claims.iat)).toBe(SHORT_LIFETIMES.accessTokenSeconds);

    // Twice past every lifetime and the clock tolerance: each call still succeeds, on a freshly minted token.
    for (const round of [1, 2]) {
      await page.waitForTimeout(outlivedAfterMs());
      await page.goto(`${URLS.agentHost}/servers/acme-tickets`);
      const listed = await alice.callTool('list_tickets');
      await expect(listed, `round ${round}`).toBeVisible();
      await expect(listed.getByTestId('tool-error')).toHaveCount(0);
      await expect(alice.message('session-expired')).toHaveCount(0);
    }

    // The inspector shows the silent re-mints: new exchanges at the IdP and grants at the RAS, all accepted.
    await alice.openInspector();
    const exchanges = alice.inspectorStep('token-exchange').getByTestId('exchange');
    const grants = alice.inspectorStep('jwt-bearer').getByTestId('exchange');
    expect(await exchanges.count()).toBeGreaterThanOrEqual(3);
    expect(await grants.count()).toBeGreaterThanOrEqual(3);
    for (const summary of await exchanges.locator('summary').allTextContents()) expect(summary).toContain('200');
    for (const summary of await grants.locator('summary').allTextContents()) expect(summary).toContain('200');
    // No sign-in page, no redirect to the IdP after the first sign-in.
    expect(idpPages).toEqual([]);
    await alice.close();
  });
});
