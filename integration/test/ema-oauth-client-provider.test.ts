/**
 * `EmaOAuthClientProvider` of `@ema/ema-client/mcp-sdk` with the MCP SDK 1.32.2's own `StreamableHTTPClientTransport`
 * and `auth()`, against the real IdP, RAS and MCP server in-process: Alice connects, lists the tools and calls one;
 * Bob is held to `tickets.read` until IT widens the sales rule, after which one up-scope gets him `tickets.write`;
 * Carol is refused by the organization. The RAS never sees an authorization or registration request.
 */
import { clientSecretBasic, EmaClient, type EmaUser, InsufficientScopeError, PolicyDenialError } from '@ema/ema-client';
import { EmaOAuthClientProvider } from '@ema/ema-client/mcp-sdk';
import { TOKEN_TYPE_ID_TOKEN } from '@ema/protocol';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ClientCredentials, type Stack, signIn, startStack } from '../src/index.js';

const AGENT_AT_IDP: ClientCredentials = { clientId: 'agent-host', clientSecret: 'agent-host-dev-secret' };
const AGENT_AT_RAS: ClientCredentials = { clientId: 'acme-agent-host', clientSecret: 'acme-agent-host-dev-secret' };

let stack: Stack;
let ema: EmaClient;
beforeAll(async () => {
  // Scopes are this file's subject: the MCP server asks no second factor here (the step-up has its own tests).
  stack = await startStack({ mcpToolAuthentication: {} });
  ema = new EmaClient({
    idp: {
      tokenEndpoint: async () => `${stack.idpIssuer}/token`,
      clientAuthentication: clientSecretBasic(AGENT_AT_IDP),
    },
    rasClientAuthentication: (issuer) => (issuer === stack.rasIssuer ? clientSecretBasic(AGENT_AT_RAS) : undefined),
    allowInsecureLoopback: true,
  });
}, 60_000);
afterAll(async () => {
  await stack?.close();
});

/** Signs `username` in at the IdP as the agent host and returns the user the EMA client acts for. */
async function signedIn(username: string): Promise<EmaUser> {
  const idToken = await signIn({
    idpIssuer: stack.idpIssuer,
    client: AGENT_AT_IDP,
    redirectUri: `${stack.agentUrl}/auth/callback`,
    username,
    password: `${username}-password`,
  });
  return { key: username, subjectToken: async () => ({ token: idToken, type: TOKEN_TYPE_ID_TOKEN }) };
}

/** One action through the SDK's transport with the provider; returns what `operation` returned. */
async function withProvider<T>(user: EmaUser, operation: (client: Client) => Promise<T>): Promise<T> {
  const provider = new EmaOAuthClientProvider(ema.authorization(user, stack.mcpResource));
  const transport = new StreamableHTTPClientTransport(new URL(stack.mcpResource), {
    authProvider: provider,
    fetch: provider.fetch,
  });
  const client = new Client({ name: 'ema-sdk-provider', version: '1.0.0' });
  try {
    await client.connect(transport);
    return await operation(client);
  } finally {
    await transport.terminateSession().catch(() => undefined);
    await client.close();
  }
}

function interactiveRequests(from: number): string[] {
  return stack.rasRequests.slice(from).filter((path) => path.startsWith('/authorize') || path === '/register');
}

describe("EmaOAuthClientProvider with the MCP SDK's auth(), against the real apps", () => {
  it('[AGENT-SDK-PROVIDER] connects Alice, lists the tools and calls whoami, through the SDK transport', async () => {
    const before = stack.rasRequests.length;
    const alice = await signedIn('alice');
    const { tools, whoami } = await withProvider(alice, async (client) => ({
      tools: (await client.listTools()).tools.map((tool) => tool.name),
      whoami: JSON.stringify((await client.callTool({ name: 'whoami', arguments: {} })).content),
    }));
    expect(tools).toEqual(expect.arrayContaining(['whoami', 'list_tickets', 'create_ticket']));
    expect(whoami).toContain('alice@acme.example');
    expect(whoami).toContain('acme-agent-host');
    expect(stack.rasRequests.slice(before)).toContain('/token');
    expect(interactiveRequests(before)).toEqual([]);
    // A password sign-in: the demo policy grants alice reading (writing asks for a passkey first).
    expect(ema.cache.last('alice', stack.mcpResource)?.scopes).toEqual(['tickets.read']);
  });

  it('[AGENT-SDK-PROVIDER] up-scopes Bob once IT grants him tickets.write, and not before', async () => {
    const before = stack.rasRequests.length;
    const bob = await signedIn('bob');
    const create = (client: Client) =>
      client.callTool({ name: 'create_ticket', arguments: { title: 'Quote for Acme', description: 'from sales' } });
    const refused = await withProvider(bob, async (client) => {
      await client.callTool({ name: 'list_tickets', arguments: {} });
      return create(client).catch((error: unknown) => error);
    });
    expect(refused).toBeInstanceOf(InsufficientScopeError);
    expect(ema.cache.last('bob', stack.mcpResource)?.scopes).toEqual(['tickets.read']);

    const { storage } = stack.idp.idp;
    const rule = storage.findPolicyRule('sales-tickets');
    if (rule === undefined) throw new Error('no sales rule');
    storage.replacePolicyRule({ ...rule, scopes: ['tickets.read', 'tickets.write'] });
    try {
      const created = await withProvider(bob, create);
      expect(created.isError).not.toBe(true);
      expect(JSON.stringify(created.content)).toContain('Quote for Acme');
      expect(ema.cache.last('bob', stack.mcpResource)?.scopes).toEqual(['tickets.read', 'tickets.write']);
    } finally {
      storage.replacePolicyRule(rule);
    }
    expect(interactiveRequests(before)).toEqual([]);
  });

  it('[AGENT-SDK-PROVIDER-NO-FALLBACK] refuses Carol with the organization decision, and never tries an interactive flow', async () => {
    const before = stack.rasRequests.length;
    const carol = await signedIn('carol');
    const failure = await withProvider(carol, (client) => client.listTools()).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(PolicyDenialError);
    expect((failure as PolicyDenialError).error).toBe('invalid_target');
    expect(stack.rasRequests.slice(before)).not.toContain('/token');
    expect(interactiveRequests(before)).toEqual([]);
    expect(ema.cache.last('carol', stack.mcpResource)).toBeUndefined();
  });
});
