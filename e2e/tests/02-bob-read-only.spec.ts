import { expect, test } from '@playwright/test';
import { USERS } from '../stack/demo-world.js';
import { AgentHost } from './support/agent-host.js';

test.describe('Bob (sales: tickets.read)', () => {
  test('[E2E-POLICY-SCOPE-NARROWED] [E2E-INSUFFICIENT-SCOPE-SHOWN] lists tickets, but create_ticket is refused for lack of tickets.write and the page says so', async ({
    browser,
  }) => {
    const bob = await AgentHost.signIn(browser, USERS.bob);
    await bob.connect();
    await bob.expectConnected();
    // ID-JAG §4.3.3: the IdP narrows the requested scopes to what policy grants.
    await expect(bob.page.getByTestId('granted-scopes')).toHaveText(/tickets\.read/);
    await expect(bob.page.getByTestId('granted-scopes')).not.toHaveText(/tickets\.write/);

    const listed = await bob.callTool('list_tickets');
    await expect(listed).toBeVisible();
    await expect(listed.getByTestId('tool-error')).toHaveCount(0);

    await bob.callTool('create_ticket', { title: 'Quote for Globex', description: 'Please prepare a quote.' });
    const refusal = bob.message('insufficient-scope');
    await expect(refusal).toBeVisible();
    await expect(refusal).toContainText('tickets.write');
    await expect(refusal).toContainText('create_ticket');
    await bob.close();
  });
});
