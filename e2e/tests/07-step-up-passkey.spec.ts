import { randomUUID } from 'node:crypto';
import { expect, type Page, test } from '@playwright/test';
import { URLS, USERS } from '../stack/demo-world.js';
import { ACME_TICKETS_ID, AgentHost, issuedToken } from './support/agent-host.js';
import { IdpAdminConsole, readAuditEntries } from './support/idp-admin-console.js';
import { signInAtIdp } from './support/idp-sign-in.js';
import { savePageScreenshot } from './support/screenshots.js';
import { VirtualAuthenticator } from './support/virtual-authenticator.js';

const MFA = 'urn:ema:acr:mfa';

/** Every document the page loads from now on, by origin and path. */
function navigations(page: Page): string[] {
  const seen: string[] = [];
  page.on('framenavigated', (frame) => {
    if (frame === page.mainFrame()) seen.push(frame.url());
  });
  return seen;
}

test.describe('Step-up with a passkey (tickets.write needs a second factor for engineering)', () => {
  test('[E2E-STEP-UP-PASSKEY] Alice reads with her password, is told how to get a passkey, enrols one, writes after one passkey prompt; an administrator resets it', async ({
    browser,
  }) => {
    test.setTimeout(120_000);
    const alice = await AgentHost.signIn(browser, USERS.alice);
    const admin = await IdpAdminConsole.open(browser);
    const { page } = alice;
    const passkey = await VirtualAuthenticator.attach(page);
    try {
      // Reading needs nothing more than the password: no page outside the agent host.
      const visited = navigations(page);
      await alice.connect();
      await alice.expectConnected();
      await expect(page.getByTestId('granted-scopes')).toHaveText(/tickets\.read$/);
      const listed = await alice.callTool('list_tickets');
      await expect(listed.getByTestId('tool-error')).toHaveCount(0);
      expect(visited.every((url) => new URL(url).origin === URLS.agentHost)).toBe(true);

      // Without a passkey, writing is refused at the IdP, which says how to get one; back at the host, nothing done.
      const title = `Broken badge reader (${randomUUID().slice(0, 8)})`;
      await alice.callTool('create_ticket', { title, description: 'Door 4 does not open.' });
      await expect(page).toHaveURL((url) => url.origin === URLS.idp);
      await expect(page.getByRole('heading', { name: 'A passkey is required' })).toBeVisible();
      await expect(page.getByRole('link', { name: 'your account' })).toBeVisible();
      await page.getByRole('button', { name: 'Back to Acme Agent Host' }).click();
      await expect(page).toHaveURL((url) => url.origin === URLS.agentHost);
      await expect(alice.message('step-up')).toContainText('A stronger sign-in is required');
      const accountLink = alice.message('step-up').getByRole('link', { name: 'Add a passkey on your account page' });
      await expect(accountLink).toHaveAttribute('href', `${URLS.idp}/account`);

      // Alice follows the link and enrols a passkey on her own account page (her password sign-in is recent).
      await accountLink.click();
      await expect(page.getByRole('heading', { name: 'Your account' })).toBeVisible();
      await expect(page.getByText('You have no passkey yet.')).toBeVisible();
      await page.getByLabel('Passkey name').fill('Work laptop');
      await page.getByRole('button', { name: 'Add a passkey' }).click();
      await expect(page.getByRole('status')).toHaveText('Passkey added.');
      await expect(page.getByRole('row', { name: /Work laptop/ })).toContainText('On one device (hwk)');
      expect(await passkey.credentialCount()).toBe(1);
      expect(await admin.passkeyCount(USERS.alice.username)).toBe(1);

      // Creating a ticket asks for the passkey once (only the missing factor: no password), then works.
      await page.goto(`${URLS.agentHost}/servers/${ACME_TICKETS_ID}`);
      await alice.tool('create_ticket').getByTestId('tool-create_ticket-title').fill(title);
      await alice.tool('create_ticket').getByTestId('tool-create_ticket-description').fill('Door 4 does not open.');
      await alice.tool('create_ticket').getByTestId('call-create_ticket').click();
      await expect(page).toHaveURL((url) => url.origin === URLS.idp && url.pathname === '/login/passkey');
      await expect(page.getByRole('heading', { name: 'Use your passkey' })).toBeVisible();
      await expect(page.getByLabel('Password')).toHaveCount(0);
      await savePageScreenshot(page, 'step-up-passkey', 480);
      await page.getByRole('button', { name: 'Use passkey' }).click();
      await expect(page).toHaveURL((url) => url.origin === URLS.agentHost);
      const created = page.getByTestId('tool-result').and(page.locator('[data-tool="create_ticket"]'));
      await expect(created).toContainText(title);
      await expect(created.getByTestId('tool-error')).toHaveCount(0);
      await expect(page.getByTestId('granted-scopes')).toHaveText(/tickets\.read tickets\.write/);

      // Once is enough: the next write goes through without any page of the IdP.
      const afterStepUp = navigations(page);
      const again = await alice.callTool('create_ticket', { title: `${title} (2)`, description: 'Door 5 too.' });
      await expect(again).toContainText(`${title} (2)`);
      expect(afterStepUp.every((url) => new URL(url).origin === URLS.agentHost)).toBe(true);

      // The ID-JAG and the access token carry the sign-in's class and methods.
      await alice.openInspector();
      const exchanges = alice.inspectorStep('token-exchange').getByTestId('exchange');
      const idJag = await issuedToken(exchanges.last());
      expect(idJag.claims.acr).toBe(MFA);
      expect(idJag.claims.amr).toEqual(['pwd', 'hwk', 'user', 'mfa']);
      const accessToken = await issuedToken(alice.inspectorStep('jwt-bearer').getByTestId('exchange').last());
      expect(accessToken.claims).toMatchObject({ acr: MFA, scope: 'tickets.read tickets.write' });

      // Recovery: the administrator resets Alice's passkeys (audited); she signs in with her password again.
      await admin.resetPasskeys(USERS.alice.username);
      expect(await admin.passkeyCount(USERS.alice.username)).toBe(0);
      const [reset] = await readAuditEntries(await admin.auditLog({ type: 'admin.user.passkeys_reset' }));
      expect(reset?.actor).toBe(USERS.admin.username);
      expect(reset?.details).toContain('"passkeysRemoved": 1');
      await page.goto(`${URLS.idp}/account`);
      await signInAtIdp(page, USERS.alice);
      await expect(page.getByRole('heading', { name: 'Your account' })).toBeVisible();
      await expect(page.getByText('You have no passkey yet.')).toBeVisible();
      await expect(page.getByRole('button', { name: 'Add a passkey' })).toBeVisible();
    } finally {
      await admin.close();
      await alice.close();
    }
  });

  test('[E2E-STEP-UP-BAD-INPUT] a passkey answer without user verification is refused at the IdP, and nothing changes', async ({
    browser,
  }) => {
    const alice = await AgentHost.signIn(browser, USERS.alice);
    const { page } = alice;
    const passkey = await VirtualAuthenticator.attach(page);
    try {
      await page.goto(`${URLS.idp}/account`);
      await page.getByRole('button', { name: 'Add a passkey' }).click();
      await expect(page.getByRole('status')).toHaveText('Passkey added.');
      await page.goto(`${URLS.agentHost}/servers`);
      await alice.connect();
      await alice.expectConnected();
      await passkey.claimUnverifiedUser(true);
      await alice.callTool('create_ticket', { title: 'Created after a verified passkey', description: 'Refused' });
      await page.getByRole('button', { name: 'Use passkey' }).click();
      await expect(page.getByRole('alert')).toContainText('did not verify you');
      await expect(page).toHaveURL((url) => url.origin === URLS.idp && url.pathname === '/login/passkey');
      // Verified this time: it goes through.
      await passkey.claimUnverifiedUser(false);
      await page.getByRole('button', { name: 'Use passkey' }).click();
      await expect(page).toHaveURL((url) => url.origin === URLS.agentHost);
      await expect(page.getByTestId('tool-result')).toContainText('Created after a verified passkey');
    } finally {
      await alice.close();
    }
  });
});
