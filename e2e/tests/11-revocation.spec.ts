import { expect, test } from '@playwright/test';
import { URLS, USERS } from '../stack/demo-world.js';
import { AgentHost } from './support/agent-host.js';
import { IdpAdminConsole, readAuditEntries } from './support/idp-admin-console.js';
import { signInAtIdp } from './support/idp-sign-in.js';

test.describe('The administrator cuts Alice off', () => {
  test('[E2E-REVOCATION-JOURNEY] Alice works; the admin disables her in the IdP console; her next tool call is refused and the page says why; re-enabled, she signs in again and works', async ({
    browser,
  }) => {
    const admin = await IdpAdminConsole.open(browser);
    const alice = await AgentHost.signIn(browser, USERS.alice);
    let disabled = false;
    try {
      await alice.connect();
      await alice.expectConnected();
      const before = await alice.callTool('list_tickets');
      await expect(before.getByTestId('tool-error')).toHaveCount(0);

      await admin.setUserDisabled(USERS.alice.username, true);
      disabled = true;

      // Her next tool call: the MCP server refuses her token (the IdP's Security Event reached it through the RAS),
      // or the IdP refuses her sign-in: either way, the organization cut her off, and the page says so.
      await alice.tool('list_tickets').getByTestId('call-list_tickets').click();
      await alice.page.waitForLoadState('load');
      const revoked = alice.message('access-revoked');
      await expect(revoked).toBeVisible();
      await expect(revoked).toContainText('Access revoked by your organization');
      await expect(alice.message('session-expired')).toHaveCount(0);
      await expect(alice.connectionStatus()).toHaveText('Not connected');

      // The IdP's audit log shows the event it sent.
      const events = await readAuditEntries(await admin.auditLog({ type: 'ssf.event' }));
      expect(events[0]?.details).toContain('account-disabled');

      await admin.setUserDisabled(USERS.alice.username, false);
      disabled = false;

      // Re-enabled, she signs in again (at the IdP: her session there ended) and works.
      await revoked.getByTestId('sign-in-again').click();
      await expect(alice.page).toHaveURL((url) => url.origin === URLS.idp);
      await signInAtIdp(alice.page, USERS.alice);
      await expect(alice.page).toHaveURL((url) => url.origin === URLS.agentHost && !url.pathname.startsWith('/auth/'));
      await alice.connect();
      await alice.expectConnected();
      const after = await alice.callTool('list_tickets');
      await expect(after).toBeVisible();
      await expect(after.getByTestId('tool-error')).toHaveCount(0);
    } finally {
      if (disabled) await admin.setUserDisabled(USERS.alice.username, false);
      await alice.close();
      await admin.close();
    }
  });
});
