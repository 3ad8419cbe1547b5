import { expect, test } from '@playwright/test';
import { MCP_RESOURCE, TOOLS, URLS, USERS } from '../stack/demo-world.js';
import { AgentHost, issuedToken } from './support/agent-host.js';
import { saveElementScreenshot, savePageScreenshot } from './support/screenshots.js';

test.describe('Alice (engineering: tickets.read; tickets.write after a passkey, see 07)', () => {
  test('[E2E-SSO-CODE-FLOW] [E2E-EMA-FLOW] signs in through the IdP, connects Acme Tickets with tickets.read, lists tickets; the inspector shows the four steps', async ({
    browser,
  }) => {
    const alice = await AgentHost.signIn(browser, USERS.alice, {
      beforeIdpSubmit: async (page) => {
        // The IdP names the application the person is signing in to.
        await expect(page.getByText('Acme Agent Host')).toBeVisible();
        await savePageScreenshot(page, 'sign-in', 480);
      },
    });
    const { page } = alice;

    // EMA: connecting needs no consent screen: the page never leaves the agent host.
    const visited: string[] = [];
    page.on('framenavigated', (frame) => {
      if (frame === page.mainFrame()) visited.push(frame.url());
    });
    await alice.connect();
    await alice.expectConnected();
    // Least privilege: the MCP server's 401 names tickets.read; writing is asked for later (07-step-up-passkey).
    await expect(page.getByTestId('granted-scopes')).toHaveText(/tickets\.read$/);
    for (const tool of TOOLS) await expect(alice.tool(tool)).toBeVisible();
    expect(visited.every((url) => new URL(url).origin === URLS.agentHost)).toBe(true);
    await savePageScreenshot(page, 'connected-server', 1400);

    const listed = await alice.callTool('list_tickets');
    await expect(listed).toContainText('reporter');
    await expect(listed.getByTestId('tool-error')).toHaveCount(0);
    const whoami = await alice.callTool('whoami');
    await expect(whoami).toContainText(USERS.alice.email);

    await alice.openInspector();
    await expect(page.getByTestId('flow-server')).toHaveText('Acme Tickets');
    for (const step of ['discovery', 'token-exchange', 'jwt-bearer', 'mcp'] as const) {
      await expect(alice.inspectorStep(step).getByTestId('exchange').first()).toBeVisible();
    }
    // Discovery starts from the MCP server's 401 challenge.
    await expect(alice.inspectorStep('discovery').getByTestId('exchange').first()).toContainText('401');
    await savePageScreenshot(page, 'flow-inspector', 1000);

    // The exchange at the IdP returns the ID-JAG, shown decoded, its signature withheld.
    const exchange = alice.inspectorStep('token-exchange').getByTestId('exchange').first();
    await exchange.locator('summary').click();
    await expect(exchange.locator('summary')).toContainText('200');
    const idJag = await issuedToken(exchange);
    expect(idJag.header.typ).toBe('oauth-id-jag+jwt');
    expect(idJag.claims.aud).toBe(URLS.authorizationServer);
    expect(idJag.claims.resource).toBe(MCP_RESOURCE);
    expect(idJag.claims.client_id).toBe('acme-agent-host');
    expect(idJag.signature).toBe('[redacted]');
    // The RAS redeems it for an access token for the MCP server alone.
    const grant = alice.inspectorStep('jwt-bearer').getByTestId('exchange').first();
    await expect(grant.locator('summary')).toContainText('200');
    const accessToken = await issuedToken(grant);
    expect(accessToken.header.typ).toBe('at+jwt');
    expect(accessToken.claims.aud).toBe(MCP_RESOURCE);
    expect(accessToken.claims.scope).toBe('tickets.read');
    // The authentication context travels from the ID token through the ID-JAG into the access token.
    expect(idJag.claims).toMatchObject({ acr: 'urn:ema:acr:pwd', amr: ['pwd'] });
    expect(accessToken.claims).toMatchObject({ acr: 'urn:ema:acr:pwd', amr: ['pwd'] });
    await expect(exchange.getByText('agent-host-dev-secret')).toHaveCount(0);
    await saveElementScreenshot(alice.inspectorStep('token-exchange'), 'flow-inspector-id-jag');
    await alice.close();
  });
});
