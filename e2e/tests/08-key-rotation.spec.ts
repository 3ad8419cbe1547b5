import { expect, test } from '@playwright/test';
import { USERS } from '../stack/demo-world.js';
import { AgentHost, decodedToken, issuedToken } from './support/agent-host.js';
import { IdpAdminConsole } from './support/idp-admin-console.js';

test.describe('Signing key rotation at the IdP', () => {
  test('[E2E-KEY-ROTATION] the IdP rotates its signing key while Alice is connected; her next connection, and a new sign-in, still work', async ({
    browser,
  }) => {
    const alice = await AgentHost.signIn(browser, USERS.alice);
    const admin = await IdpAdminConsole.open(browser);
    try {
      await alice.connect();
      await alice.expectConnected();

      const { before, after } = await admin.rotateSigningKey();
      expect(after).not.toBe(before);
      // The retired key stays published (its tokens are still valid: Alice's ID token among them).
      await expect(admin.page.getByText(before, { exact: true })).toBeVisible();

      // Her ID token was signed with the retired key; the new ID-JAG is signed with the new one, and the RAS
      // fetches the IdP's JWKS again to verify it.
      await alice.connect();
      await alice.expectConnected();
      const listed = await alice.callTool('list_tickets');
      await expect(listed.getByTestId('tool-error')).toHaveCount(0);
      await expect(listed).toBeVisible();

      await alice.openInspector();
      const idJag = await issuedToken(alice.inspectorStep('token-exchange').getByTestId('exchange').first());
      expect(idJag.header.kid).toBe(after);
      // The subject token, Alice's ID token from before the rotation, was signed with the retired key.
      const subjectToken = alice
        .inspectorStep('token-exchange')
        .getByTestId('decoded-token')
        .filter({ hasText: '"aud": "agent-host"' })
        .first();
      expect((await decodedToken(subjectToken)).header.kid).toBe(before);

      // Someone who signs in after the rotation gets an ID token signed with the new key; the agent host accepts it.
      const bob = await AgentHost.signIn(browser, USERS.bob);
      await bob.connect();
      await bob.expectConnected();
      await bob.close();
    } finally {
      await admin.close();
      await alice.close();
    }
  });
});
