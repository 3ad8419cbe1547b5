/**
 * The step-up round trip through the four real apps: the IdP's policy or the MCP server asks for a stronger sign-in
 * (RFC 9470), the agent host sends the employee to the IdP with `acr_values`, the IdP asks for exactly the passkey,
 * and the action is tried again once. And every way it can end without success: no passkey, cancelled, a class the
 * IdP does not offer; each said plainly, nothing done, no loop.
 */
import { ACR_MULTI_FACTOR } from '@ema/protocol';
import { readCreationOptions, readRequestOptions, SoftwareAuthenticator } from '@ema/software-authenticator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  formFields,
  STACK_IDP_ADMIN_TOKEN,
  type Stack,
  startStack,
  TestBrowser,
  webauthnOptions,
} from '../src/index.js';

const TICKET = { 'arg.title': 'Step-up ticket', 'arg.description': 'Needs a second factor' };

async function signIn(stack: Stack, username: string): Promise<TestBrowser> {
  const browser = new TestBrowser();
  const login = await browser.go(`${stack.agentUrl}/auth/signin`);
  await browser.submit(login.body, /login/, { username, password: `${username}-password` });
  return browser;
}

async function enrolPasskey(stack: Stack, browser: TestBrowser): Promise<SoftwareAuthenticator> {
  const device = new SoftwareAuthenticator(stack.idpIssuer);
  const account = await browser.go(`${stack.idpIssuer}/account`);
  const registration = device.register(readCreationOptions(webauthnOptions(account.body)));
  await browser.submit(account.body, /\/account\/passkeys$/, {
    name: 'Laptop',
    credential: JSON.stringify(registration),
  });
  return device;
}

async function connected(stack: Stack, browser: TestBrowser): Promise<string> {
  const servers = await browser.go(`${stack.agentUrl}/servers`);
  return (await browser.submit(servers.body, /\/servers\/acme-tickets\/connect$/)).body;
}

/** Counts the requests to the IdP's authorization endpoint while `work` runs (the test browser goes through fetch). */
async function countingAuthorize<T>(stack: Stack, work: () => Promise<T>): Promise<{ result: T; count: number }> {
  let count = 0;
  const original = globalThis.fetch;
  globalThis.fetch = async (input, init) => {
    if (String(input).startsWith(`${stack.idpIssuer}/authorize`)) count += 1;
    return original(input, init);
  };
  try {
    return { result: await work(), count };
  } finally {
    globalThis.fetch = original;
  }
}

describe('step-up with the demo policy (tickets.write after a second factor)', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  }, 60_000);
  afterAll(async () => {
    await stack?.close();
  });

  it('[AGENT-STEP-UP-NO-PASSKEY] a user without a passkey is told by the IdP how to get one; back at the host, nothing was done and the page says why', async () => {
    const browser = await signIn(stack, 'alice');
    const page = await connected(stack, browser);
    const idpPage = await browser.submit(page, /\/tools\/create_ticket$/, TICKET);
    expect(idpPage.body).toContain('A passkey is required');
    expect(idpPage.body).toContain('<a href="/account">your account</a>');
    const back = formFields(idpPage.body, /\/login\/passkey$/);
    const result = await browser.go(new URL(back.action, browser.url).href, {
      form: { ...back.fields, cancel: 'no_passkey' },
    });
    expect(browser.url).toBe(`${stack.agentUrl}/servers/acme-tickets`);
    expect(result.body).toContain('data-testid="step-up"');
    expect(result.body).toContain('A stronger sign-in is required');
    expect(result.body).toContain(`href="${stack.idpIssuer}/account" data-testid="message-link"`);
    expect(result.body).toContain('unmet_authentication_requirements');
    const listed = await browser.submit(result.body, /\/tools\/list_tickets$/);
    expect(listed.body).not.toContain('Step-up ticket');
  });

  it('[AGENT-STEP-UP-CANCEL] a cancelled passkey prompt: the host says so, creates nothing, and asks nothing more', async () => {
    const browser = await signIn(stack, 'alice');
    await enrolPasskey(stack, browser);
    const page = await connected(stack, browser);
    const prompt = await browser.submit(page, /\/tools\/create_ticket$/, TICKET);
    expect(prompt.body).toContain('Use your passkey');
    const fields = formFields(prompt.body, /\/login\/passkey$/).fields;
    const result = await browser.go(`${stack.idpIssuer}/login/passkey`, { form: { ...fields, cancel: 'cancelled' } });
    expect(browser.url).toBe(`${stack.agentUrl}/servers/acme-tickets`);
    expect(result.body).toContain('Stronger sign-in cancelled');
    expect(result.body).not.toContain('data-testid="tool-result"');
  });
});

describe('step-up asked for by the MCP server (RFC 9470 challenge)', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
    // The IdP grants engineering writing without a second factor; the MCP server still asks for one per tool.
    const rule = {
      description: 'Engineering may write tickets',
      effect: 'allow',
      subjectType: 'group',
      subject: 'engineering',
      resourceId: 'acme-tickets',
      scopes: ['tickets.write'],
    };
    const response = await fetch(`${stack.idpIssuer}/admin/api/policy-rules/engineering-tickets-write`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${STACK_IDP_ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify(rule),
    });
    expect(response.status).toBe(200);
  }, 60_000);
  afterAll(async () => {
    await stack?.close();
  });

  it('[AGENT-MCP-STEP-UP-CHALLENGE] [AGENT-STEP-UP-RETRY] the MCP server answers 401 insufficient_user_authentication; the host steps up at the IdP and retries once', async () => {
    const browser = await signIn(stack, 'alice');
    const device = await enrolPasskey(stack, browser);
    const page = await connected(stack, browser);
    // The write scope comes without a second factor; the MCP server refuses the sign-in behind it.
    const prompt = await browser.submit(page, /\/tools\/create_ticket$/, TICKET);
    expect(browser.url.startsWith(`${stack.idpIssuer}/login/passkey?request=`)).toBe(true);
    const assertion = device.assert(readRequestOptions(webauthnOptions(prompt.body)));
    const created = await browser.submit(prompt.body, /\/login\/passkey$/, { credential: JSON.stringify(assertion) });
    expect(browser.url).toBe(`${stack.agentUrl}/servers/acme-tickets#result`);
    expect(created.body).toContain('Step-up ticket');
    expect(created.body).not.toContain('data-testid="tool-error"');
    const inspector = await browser.go('/inspector');
    expect(inspector.body).toContain('insufficient_user_authentication');
    expect(inspector.body).toContain(ACR_MULTI_FACTOR);
  });
});

describe('a class of sign-in the IdP does not offer', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ mcpToolAuthentication: { create_ticket: { acrValues: ['urn:example:acr:loa4'] } } });
    const response = await fetch(`${stack.idpIssuer}/admin/api/policy-rules/engineering-tickets-write`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${STACK_IDP_ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        description: 'Engineering may write tickets',
        effect: 'allow',
        subjectType: 'group',
        subject: 'engineering',
        resourceId: 'acme-tickets',
        scopes: ['tickets.write'],
      }),
    });
    expect(response.status).toBe(200);
  }, 60_000);
  afterAll(async () => {
    await stack?.close();
  });

  it('[AGENT-STEP-UP-UNSUPPORTED-ACR] [IDP-OIDC-ACR-UNSUPPORTED] the IdP refuses acr_values it does not support; the host says so once, with no loop', async () => {
    const browser = await signIn(stack, 'alice');
    const page = await connected(stack, browser);
    const { result, count } = await countingAuthorize(stack, () =>
      browser.submit(page, /\/tools\/create_ticket$/, TICKET),
    );
    expect(browser.url).toBe(`${stack.agentUrl}/servers/acme-tickets`);
    expect(result.body).toContain('A stronger sign-in is required');
    expect(result.body).toContain('none of the acr_values is supported');
    // One trip to the IdP, refused there; the host does not try again.
    expect(count).toBe(1);
    const audit = await fetch(`${stack.idpIssuer}/admin/api/audit?type=authorize.refused`, {
      headers: { authorization: `Bearer ${STACK_IDP_ADMIN_TOKEN}` },
    });
    expect(((await audit.json()) as { events: { reason: string }[] }).events[0]?.reason).toBe('acr_values_unsupported');
  });
});
