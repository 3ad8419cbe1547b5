import { randomUUID } from 'node:crypto';
import { expect, test } from '@playwright/test';
import { TOOLS, URLS, USERS } from '../stack/demo-world.js';
import { AgentHost } from './support/agent-host.js';
import { saveScreenshot } from './support/screenshots.js';

test.describe('Alice (engineering: tickets.read tickets.write)', () => {
  test('[E2E-SSO-CODE-FLOW] [E2E-EMA-FLOW] signs in through the IdP, connects Acme Tickets, creates a ticket and lists it; the inspector shows the four steps', async ({
    browser,
  }) => {
    const alice = await AgentHost.signIn(browser, USERS.alice, {
      beforeIdpSubmit: async (page) => {
        // The IdP names the application the person is signing in to.
        await expect(page.getByText('Acme Agent Host')).toBeVisible();
        await saveScreenshot(page, 'sign-in');
      },
    });
    const { page } = alice;

    // EMA: connecting needs no consent screen: the page never leaves the agent host.
    const visited: string[] = [];
    page.on('framenavigated', (frame) => {
      if (frame === page.mainFrame()) visited.push(frame.url());
    });
    await alice.connect();
    await expect(alice.connectionStatus()).toHaveText('Connected');
    await expect(page.getByTestId('granted-scopes')).toContainText('tickets.read tickets.write');
    for (const tool of TOOLS) await expect(alice.tool(tool)).toBeVisible();
    expect(visited.every((url) => new URL(url).origin === URLS.agentHost)).toBe(true);
    await saveScreenshot(page, 'connected-server');

    const title = `Printer on floor 3 is jammed (${randomUUID().slice(0, 8)})`;
    const created = await alice.callTool('create_ticket', {
      title,
      description: 'Paper jam in tray 2 since this morning.',
      priority: 'high',
    });
    await expect(created).toContainText(title);
    await expect(created).toContainText(USERS.alice.email);
    await expect(created.getByTestId('tool-error')).toHaveCount(0);

    const listed = await alice.callTool('list_tickets');
    await expect(listed).toContainText(title);
    await expect(listed.getByTestId('tool-error')).toHaveCount(0);

    await alice.openInspector();
    await expect(page.getByTestId('flow-server')).toHaveText('Acme Tickets');
    for (const step of ['discovery', 'token-exchange', 'jwt-bearer', 'mcp'] as const) {
      await expect(alice.inspectorStep(step).getByTestId('exchange').first()).toBeVisible();
    }
    // Discovery starts from the MCP server's 401 challenge.
    await expect(alice.inspectorStep('discovery').getByTestId('exchange').first()).toContainText('401');
    // The exchange at the IdP and the grant at the RAS show the decoded ID-JAG, never its signature.
    const exchange = alice.inspectorStep('token-exchange').getByTestId('exchange').first();
    await exchange.locator('summary').click();
    await expect(exchange.getByTestId('decoded-token').filter({ hasText: 'oauth-id-jag+jwt' }).first()).toBeVisible();
    await expect(exchange).toContainText(URLS.authorizationServer);
    await saveScreenshot(page, 'flow-inspector');
    await alice.close();
  });
});
