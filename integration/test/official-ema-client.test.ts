/**
 * The official EMA client, code nobody here wrote: `CrossAppAccessProvider` of `@modelcontextprotocol/client` 2.x
 * with its `StreamableHTTPClientTransport`, against the real IdP, RAS and MCP server in-process. The provider's
 * assertion callback trades Alice's ID token at the IdP with the SDK's own `discoverAndRequestJwtAuthGrant`
 * (RFC 8693); the SDK's `auth()` discovers the RAS from the MCP server's 401 and redeems the ID-JAG there (RFC 7523).
 * It parses the RAS metadata with a schema that requires `authorization_endpoint`, which the RAS now lists.
 */
import {
  Client,
  CrossAppAccessProvider,
  discoverAndRequestJwtAuthGrant,
  StreamableHTTPClientTransport,
} from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ClientCredentials, type Stack, signIn, startStack } from '../src/index.js';

const AGENT_AT_IDP: ClientCredentials = { clientId: 'agent-host', clientSecret: 'agent-host-dev-secret' };
const AGENT_AT_RAS: ClientCredentials = { clientId: 'acme-agent-host', clientSecret: 'acme-agent-host-dev-secret' };

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
}, 60_000);
afterAll(async () => {
  await stack?.close();
});

/** The official provider for `username`: its assertion callback signs in once and exchanges the ID token. */
async function providerFor(username: string): Promise<CrossAppAccessProvider> {
  const idToken = await signIn({
    idpIssuer: stack.idpIssuer,
    client: AGENT_AT_IDP,
    redirectUri: `${stack.agentUrl}/auth/callback`,
    username,
    password: `${username}-password`,
  });
  return new CrossAppAccessProvider({
    assertion: async (context) => {
      const grant = await discoverAndRequestJwtAuthGrant({
        idpUrl: stack.idpIssuer,
        audience: context.authorizationServerUrl,
        resource: context.resourceUrl,
        idToken,
        clientId: AGENT_AT_IDP.clientId,
        clientSecret: AGENT_AT_IDP.clientSecret,
        ...(context.scope === undefined ? {} : { scope: context.scope }),
        fetchFn: context.fetchFn,
      });
      return grant.jwtAuthGrant;
    },
    clientId: AGENT_AT_RAS.clientId,
    clientSecret: AGENT_AT_RAS.clientSecret,
    expectedIssuer: stack.rasIssuer,
  });
}

describe('@modelcontextprotocol/client 2.x CrossAppAccessProvider through EMA', () => {
  it('[CONFORMANCE-OFFICIAL-EMA-CLIENT] connects as Alice, lists the tools and calls whoami', async () => {
    const provider = await providerFor('alice');
    const client = new Client({ name: 'official-ema-client', version: '1.0.0' });
    const transport = new StreamableHTTPClientTransport(new URL(stack.mcpResource), { authProvider: provider });
    const before = stack.rasRequests.length;
    await client.connect(transport);
    try {
      const { tools } = await client.listTools();
      expect(tools.map((tool) => tool.name)).toEqual(
        expect.arrayContaining(['whoami', 'list_tickets', 'create_ticket']),
      );
      const result = await client.callTool({ name: 'whoami', arguments: {} });
      expect(result.isError).not.toBe(true);
      expect(JSON.stringify(result.content)).toContain('alice@acme.example');
      expect(JSON.stringify(result.content)).toContain('acme-agent-host');
    } finally {
      await client.close();
    }
    // EMA only: the RAS saw its metadata and the jwt-bearer grant, never an authorization or registration request.
    const seen = stack.rasRequests.slice(before);
    expect(seen).toContain('/token');
    expect(seen.filter((path) => path === '/authorize' || path === '/register')).toEqual([]);
    // A password sign-in: the demo policy grants alice reading (writing asks for a passkey first).
    expect(provider.tokens()?.scope).toBe('tickets.read');
  });

  it('[CONFORMANCE-OFFICIAL-EMA-CLIENT] is refused for Carol by the organization, before any token reaches her', async () => {
    const provider = await providerFor('carol');
    const client = new Client({ name: 'official-ema-client', version: '1.0.0' });
    const transport = new StreamableHTTPClientTransport(new URL(stack.mcpResource), { authProvider: provider });
    await expect(client.connect(transport)).rejects.toThrow(/invalid_target/);
    expect(provider.tokens()).toBeUndefined();
    await client.close();
  });
});
