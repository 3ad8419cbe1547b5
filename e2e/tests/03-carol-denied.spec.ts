import { expect, test } from '@playwright/test';
import { URLS, USERS } from '../stack/demo-world.js';
import { AgentHost } from './support/agent-host.js';

test.describe('Carol (contractors: no access)', () => {
  test('[E2E-POLICY-DENIAL-SHOWN] [E2E-NO-CONSENT-FALLBACK] is refused by policy: the page shows the organization’s denial and no consent screen appears', async ({
    browser,
  }) => {
    const carol = await AgentHost.signIn(browser, USERS.carol);
    const { page } = carol;
    // Every document the browser loads from now on, in any frame or popup of this context.
    const loaded: string[] = [];
    carol.context.on('request', (request) => {
      if (request.isNavigationRequest()) loaded.push(request.url());
    });
    carol.context.on('page', (popup) => loaded.push(`popup:${popup.url()}`));

    await carol.connect();
    const denial = carol.message('policy-denial');
    await expect(denial).toBeVisible();
    await expect(denial).toContainText('Access denied by your organization');
    await expect(carol.connectionStatus()).toHaveText('Not connected');
    await expect(page.getByTestId('tools')).toHaveCount(0);

    // EMA: no fallback to an interactive per-user authorization: no authorize or consent page, no IdP page at all.
    expect(loaded.length).toBeGreaterThan(0);
    for (const url of loaded) {
      expect(url.startsWith('popup:')).toBe(false);
      const { origin, pathname } = new URL(url);
      expect(origin).toBe(URLS.agentHost);
      expect(pathname).not.toMatch(/authorize|consent/);
    }
    await carol.close();
  });
});
