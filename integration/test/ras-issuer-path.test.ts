/**
 * The four apps with a RAS whose issuer has a path (`http://127.0.0.1:<port>/tenant-a`): the MCP server's protected
 * resource metadata names it, the agent host discovers its metadata at the path-appended well-known URL, the IdP
 * issues the ID-JAG for it, the RAS redeems it under the path, and Alice's tool call succeeds.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formFields, type Stack, startStack, TestBrowser } from '../src/index.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ rasIssuerPath: '/tenant-a' });
}, 60_000);
afterAll(async () => {
  await stack?.close();
});

async function post(browser: TestBrowser, page: string, action: RegExp, extra: Record<string, string> = {}) {
  const form = formFields(page, action);
  return browser.go(new URL(form.action, browser.url).href, { form: { ...form.fields, ...extra } });
}

describe('a RAS issuer with a path, end to end', () => {
  it('[RAS-ISSUER-PATH] the MCP server names the path-bearing issuer, whose metadata is at the RFC 8414 §3.1 URL', async () => {
    expect(stack.rasIssuer).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/tenant-a$/);
    const mcp = new URL(stack.mcpResource);
    const prm = await fetch(new URL('/.well-known/oauth-protected-resource/mcp', mcp.origin));
    const { authorization_servers: authorizationServers } = (await prm.json()) as { authorization_servers: string[] };
    expect(authorizationServers).toEqual([stack.rasIssuer]);
    const ras = new URL(stack.rasIssuer);
    const metadata = await fetch(new URL('/.well-known/oauth-authorization-server/tenant-a', ras.origin));
    expect(await metadata.json()).toMatchObject({
      issuer: stack.rasIssuer,
      token_endpoint: `${stack.rasIssuer}/token`,
    });
  });

  it('[RAS-ISSUER-PATH] Alice signs in, connects and calls a tool', async () => {
    const browser = new TestBrowser();
    const login = await browser.go(`${stack.agentUrl}/auth/signin`);
    const form = formFields(login.body, /login/);
    const servers = await browser.go(new URL(form.action, browser.url).href, {
      form: { ...form.fields, username: 'alice', password: 'alice-password' },
    });
    const connected = await post(browser, servers.body, /\/servers\/acme-tickets\/connect$/);
    expect(connected.body).toContain('data-testid="connection-status">Connected');
    const created = await post(browser, connected.body, /\/tools\/create_ticket$/, {
      'arg.title': 'Tenant A printer',
      'arg.description': 'Fourth floor',
    });
    expect(created.body).toContain('data-testid="tool-result"');
    expect(created.body).toContain('Tenant A printer');
    const inspector = await browser.go('/inspector');
    expect(inspector.body).toContain(`${stack.rasIssuer}/token`);
  });
});
