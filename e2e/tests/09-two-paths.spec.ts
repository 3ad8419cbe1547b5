import { expect, test } from '@playwright/test';
import { MCP_RESOURCE, URLS, USERS } from '../stack/demo-world.js';
import { AgentHost } from './support/agent-host.js';
import { GenericMcpClient } from './support/generic-mcp-client.js';

let client: GenericMcpClient;
test.beforeAll(async () => {
  client = await GenericMcpClient.start();
});
test.afterAll(async () => {
  await client?.close();
});

test.describe('two paths to Acme Tickets', () => {
  test('[E2E-TWO-PATHS] Alice connects a generic MCP client through sign-in and consent, and the agent host through EMA with no screen', async ({
    browser,
  }) => {
    // The interactive path: the IdP's sign-in page, then the authorization server's consent screen.
    const flow = await client.authorize(browser, USERS.alice);
    const { page } = flow;
    await expect(page.getByTestId('consent-title')).toHaveText('Allow Generic MCP client to use Acme Tickets?');
    await expect(page.getByTestId('consent-user')).toHaveText(USERS.alice.name);
    await expect(page.getByTestId('consent-scope')).toHaveText(['tickets.read']);
    await expect(page.getByTestId('consent-redirect-host')).toHaveText(new URL(client.redirectUri).host);
    await page.getByTestId('consent-allow').click();
    await expect(page).toHaveURL((url) => `${url.origin}${url.pathname}` === client.redirectUri);
    const answer = new URL(page.url());
    expect(answer.searchParams.get('state')).toBe(flow.state);
    expect(answer.searchParams.get('iss')).toBe(URLS.authorizationServer);
    const tokens = await client.exchange(page.url(), flow.verifier);
    expect(tokens.status).toBe(200);
    expect(tokens.body.scope).toBe('tickets.read');
    const initialized = await fetch(MCP_RESOURCE, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${String(tokens.body.access_token)}`,
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
      },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'initialize',
        params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'generic', version: '1' } },
      }),
    });
    expect(initialized.status).toBe(200);
    await flow.context.close();

    // The EMA path: after signing in at the agent host, connecting shows no page but the agent host's.
    const alice = await AgentHost.signIn(browser, USERS.alice);
    const loaded: string[] = [];
    alice.context.on('request', (request) => {
      if (request.isNavigationRequest()) loaded.push(request.url());
    });
    await alice.connect();
    await alice.expectConnected();
    expect(loaded.length).toBeGreaterThan(0);
    for (const url of loaded) expect(new URL(url).origin).toBe(URLS.agentHost);
    await alice.close();
  });

  test('[E2E-TWO-PATHS-CAROL-REFUSED] Carol is refused on both paths by the same organization policy', async ({
    browser,
  }) => {
    const flow = await client.authorize(browser, USERS.carol);
    const refusal = flow.page.getByTestId('organization-refusal');
    await expect(refusal).toBeVisible();
    await expect(refusal).toContainText('Your organization does not allow Generic MCP client to use Acme Tickets');
    await expect(flow.page.getByTestId('consent-allow')).toHaveCount(0);
    await flow.page.getByTestId('return-to-client').click();
    await expect(flow.page).toHaveURL((url) => `${url.origin}${url.pathname}` === client.redirectUri);
    expect(new URL(flow.page.url()).searchParams.get('error')).toBe('access_denied');
    await flow.context.close();

    const carol = await AgentHost.signIn(browser, USERS.carol);
    await carol.connect();
    await expect(carol.message('policy-denial')).toContainText('Access denied by your organization');
    await carol.close();
  });
});
