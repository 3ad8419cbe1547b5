import { expect, test } from '@playwright/test';
import { USERS } from '../stack/demo-world.js';
import { AgentHost, decodedToken } from './support/agent-host.js';
import { IdpAdminConsole } from './support/idp-admin-console.js';

test.describe('Signing key rotation at the IdP', () => {
  test('[E2E-KEY-ROTATION] the IdP rotates its signing key while Alice is connected; her next connection still works', async ({
    browser,
  }) => {
    const alice = await AgentHost.signIn(browser, USERS.alice);
    const admin = await IdpAdminConsole.open(browser);
    try {
      await alice.connect();
      await expect(alice.connectionStatus()).toHaveText('Connected');

      const { before, after } = await admin.rotateSigningKey();
      expect(after).not.toBe(before);
      // The retired key stays published (its tokens are still valid: Alice's ID token among them).
      await expect(admin.page.getByText(before, { exact: true })).toBeVisible();

      // Her ID token was signed with the retired key; the new ID-JAG is signed with the new one, and the RAS
      // fetches the IdP's JWKS again to verify it.
      await alice.connect();
      await expect(alice.connectionStatus()).toHaveText('Connected');
      const listed = await alice.callTool('list_tickets');
      await expect(listed.getByTestId('tool-error')).toHaveCount(0);
      await expect(listed).toBeVisible();

      await alice.openInspector();
      const idJagBox = alice
        .inspectorStep('token-exchange')
        .getByTestId('decoded-token')
        .filter({ hasText: 'oauth-id-jag+jwt' })
        .first();
      expect((await decodedToken(idJagBox)).header.kid).toBe(after);
    } finally {
      await admin.close();
      await alice.close();
    }
  });
});
