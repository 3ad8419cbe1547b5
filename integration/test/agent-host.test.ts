/**
 * The agent host against the real IdP, RAS and MCP server, in-process on loopback ports: sign-in through the IdP's
 * login form, connect, list tools, call tools, the inspector, and the refusals of docs/demo-world.md (Bob's missing
 * tickets.write, Carol's denial by policy).
 */

import { readCreationOptions, readRequestOptions, SoftwareAuthenticator } from '@ema/software-authenticator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formFields, type Stack, startStack, TestBrowser, webauthnOptions } from '../src/index.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
}, 60_000);
afterAll(async () => {
  await stack?.close();
}, 60_000);

async function signIn(username: string): Promise<{ browser: TestBrowser; page: string }> {
  const browser = new TestBrowser();
  const login = await browser.go(`${stack.agentUrl}/auth/signin`);
  expect(login.status).toBe(200);
  expect(browser.url.startsWith(stack.idpIssuer)).toBe(true);
  const form = formFields(login.body, /login/);
  const page = await browser.go(new URL(form.action, browser.url).href, {
    form: { ...form.fields, username, password: `${username}-password` },
  });
  return { browser, page: page.body };
}

/** Adds a passkey made by `device` on the IdP account page of the browser's signed-in user. */
async function enrolPasskey(browser: TestBrowser, device: SoftwareAuthenticator): Promise<void> {
  const account = await browser.go(`${stack.idpIssuer}/account`);
  const registration = device.register(readCreationOptions(webauthnOptions(account.body)));
  const added = await browser.submit(account.body, /\/account\/passkeys$/, {
    name: 'Laptop',
    credential: JSON.stringify(registration),
  });
  expect(added.body).toContain('Passkey added.');
}

/** Answers the IdP's passkey page with `device`, as the page's script would. */
function usePasskey(browser: TestBrowser, page: string, device: SoftwareAuthenticator) {
  const assertion = device.assert(readRequestOptions(webauthnOptions(page)));
  return browser.submit(page, /\/login\/passkey$/, { credential: JSON.stringify(assertion) });
}

async function post(browser: TestBrowser, page: string, action: RegExp, extra: Record<string, string> = {}) {
  const form = formFields(page, action);
  return browser.go(new URL(form.action, browser.url).href, { form: { ...form.fields, ...extra } });
}

describe('agent host with the real IdP, RAS and MCP server', () => {
  it('[AGENT-OIDC-PKCE-NONCE] signs Alice in through the IdP and keeps only a session cookie in the browser', async () => {
    const { browser, page } = await signIn('alice');
    expect(browser.url).toBe(`${stack.agentUrl}/servers`);
    expect(page).toContain('data-testid="user-name">Alice Anders');
    const cookies = browser.cookies(stack.agentUrl);
    expect([...cookies.keys()]).toEqual(['ema_session']);
    expect(cookies.get('ema_session')).not.toMatch(/^eyJ/);
  });

  it('[AGENT-EMA-FLOW] [AGENT-STEP-UP-RETRY] Alice connects and reads; creating a ticket asks for her passkey once, then works; the inspector shows four steps', async () => {
    const { browser } = await signIn('alice');
    const device = new SoftwareAuthenticator(stack.idpIssuer);
    await enrolPasskey(browser, device);
    const page = (await browser.go(`${stack.agentUrl}/servers`)).body;
    const connected = await post(browser, page, /\/servers\/acme-tickets\/connect$/);
    expect(browser.url).toBe(`${stack.agentUrl}/servers/acme-tickets`);
    expect(connected.body).toContain('data-testid="connection-status">Connected');
    expect(connected.body).toContain('data-testid="tool-list_tickets"');
    // Least privilege: reading first; the demo policy asks for a second factor only to write.
    expect(connected.body).toContain('Permissions granted: tickets.read<');
    // Creating a ticket: 403 insufficient_scope, then the IdP asks for a stronger sign-in: the passkey page.
    const asked = await post(browser, connected.body, /\/tools\/create_ticket$/, {
      'arg.title': 'Printer on fire',
      'arg.description': 'Third floor',
    });
    expect(browser.url.startsWith(`${stack.idpIssuer}/login/passkey?request=`)).toBe(true);
    expect(asked.body).toContain('Use your passkey');
    const created = await usePasskey(browser, asked.body, device);
    expect(browser.url).toBe(`${stack.agentUrl}/servers/acme-tickets#result`);
    expect(created.body).toContain('data-testid="tool-result"');
    expect(created.body).toContain('Printer on fire');
    expect(created.body).toContain('Permissions granted: tickets.read tickets.write<');
    // Once is enough: the next write needs no passkey.
    const updated = await post(browser, created.body, /\/tools\/update_ticket$/, {
      'arg.id': '1',
      'arg.status': 'resolved',
    });
    expect(browser.url.startsWith(stack.agentUrl)).toBe(true);
    expect(updated.body).not.toContain('data-testid="step-up"');
    const listed = await post(browser, updated.body, /\/tools\/list_tickets$/);
    expect(listed.body).toContain('Printer on fire');
    const inspector = await browser.go('/inspector');
    for (const step of ['discovery', 'token-exchange', 'jwt-bearer', 'mcp']) {
      expect(inspector.body).toMatch(new RegExp(`<details class="card" data-testid="exchange" data-step="${step}"`));
    }
    expect(inspector.body).toContain('data-testid="decoded-token"');
    expect(inspector.body).toContain('urn:ema:acr:mfa');
    expect(inspector.body).not.toContain('acme-agent-host-dev-secret');
    expect(inspector.body).not.toContain('agent-host-dev-secret');
  });

  it('[AGENT-MCP-UPSCOPE] Bob lists tickets but is told create_ticket needs tickets.write', async () => {
    const { browser, page } = await signIn('bob');
    const connected = await post(browser, page, /\/servers\/acme-tickets\/connect$/);
    expect(connected.body).toContain('data-testid="connection-status">Connected');
    const listed = await post(browser, connected.body, /\/tools\/list_tickets$/);
    expect(listed.body).toContain('data-testid="tool-result"');
    const refused = await post(browser, listed.body, /\/tools\/create_ticket$/, {
      'arg.title': 'Nope',
      'arg.description': 'Bob may only read',
    });
    expect(refused.body).toContain('data-testid="insufficient-scope"');
    expect(refused.body).toContain('tickets.write');
  });

  it('[AGENT-EMA-NO-FALLBACK] Carol is refused by policy, shown as the organization’s decision, with no consent screen', async () => {
    const { browser, page } = await signIn('carol');
    const refused = await post(browser, page, /\/servers\/acme-tickets\/connect$/);
    expect(browser.url).toBe(`${stack.agentUrl}/servers/acme-tickets`);
    expect(refused.body).toContain('data-testid="policy-denial"');
    expect(refused.body).toContain('Access denied by your organization');
    expect(refused.body).not.toContain('/authorize?');
  });

  it('[AGENT-EMA-ONLY] never takes the interactive path the RAS now offers: no /authorize, no /register, whoever connects', async () => {
    const metadata = (await (await fetch(`${stack.rasIssuer}/.well-known/oauth-authorization-server`)).json()) as {
      authorization_endpoint?: string;
    };
    expect(metadata.authorization_endpoint).toBe(`${stack.rasIssuer}/authorize`);
    for (const username of ['alice', 'carol']) {
      const { browser, page } = await signIn(username);
      const connected = await post(browser, page, /\/servers\/acme-tickets\/connect$/);
      expect(browser.url).toBe(`${stack.agentUrl}/servers/acme-tickets`);
      expect(connected.body).toContain(username === 'carol' ? 'data-testid="policy-denial"' : 'Connected');
    }
    expect(stack.rasRequests.filter((path) => path.startsWith('/authorize') || path === '/register')).toEqual([]);
    expect(stack.rasRequests).toContain('/token');
  });

  it('[AGENT-SESSION-SIGN-OUT] signing out ends the session and protected pages redirect to sign-in', async () => {
    const { browser, page } = await signIn('alice');
    await post(browser, page, /\/auth\/signout$/);
    expect(browser.cookies(stack.agentUrl).has('ema_session')).toBe(false);
    const after = await browser.go(`${stack.agentUrl}/servers`);
    expect(browser.url).toBe(`${stack.agentUrl}/`);
    expect(after.body).toContain('data-testid="sign-in"');
  });
});
