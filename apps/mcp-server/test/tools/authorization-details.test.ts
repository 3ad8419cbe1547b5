/**
 * The tools of Acme Tickets under RFC 9396: an access token carrying `authorization_details` of type
 * `urn:acme:tickets` may run a tool only when one detail allows its action (and its ticket, when the detail names
 * one), whatever its scopes; `list_tickets` shows only the tickets allowed. Real tokens, a real MCP session.
 */
import { AUTHORIZATION_DETAILS_TYPE_TICKETS, type AuthorizationDetails } from '@ema/protocol';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditRecords, connectClient, type RunningServer, startServer } from '../support/server.js';
import { createTestKey, mintToken, RESOURCE, type TestKey } from '../support/tokens.js';

const TYPE = AUTHORIZATION_DETAILS_TYPE_TICKETS;

describe('Acme Tickets tools under authorization_details (RFC 9396 §9.1)', () => {
  let key: TestKey;
  let server: RunningServer;
  const clients: Client[] = [];

  beforeAll(async () => {
    key = await createTestKey();
    server = await startServer(key.keys);
  });
  afterAll(async () => {
    for (const client of clients) await client.close();
    await server.close();
  });

  async function connect(jti: string, details: AuthorizationDetails): Promise<Client> {
    const client = await connectClient(server, await mintToken(key, { jti, authorization_details: details }));
    clients.push(client);
    return client;
  }
  async function call(client: Client, name: string, args: Record<string, unknown> = {}): Promise<CallToolResult> {
    return (await client.callTool({ name, arguments: args })) as CallToolResult;
  }
  const text = (result: CallToolResult) => (result.content[0]?.type === 'text' ? result.content[0].text : '');

  it('[MCP-RFC9396-TOOLS] lets a read-only detail read, and refuses writing despite the tickets.write scope', async () => {
    const client = await connect('at-rar-1', [{ type: TYPE, locations: [RESOURCE], actions: ['read'] }]);
    expect((await call(client, 'get_ticket', { id: 1 })).isError).toBeUndefined();
    expect((await call(client, 'list_tickets')).structuredContent).toMatchObject({ tickets: expect.any(Array) });
    const create = await call(client, 'create_ticket', { title: 'Printer', description: 'Out of toner' });
    expect(create).toMatchObject({ isError: true });
    expect(text(create)).toBe(
      'create_ticket is not allowed by the authorization details of your access token (action create)',
    );
    const update = await call(client, 'update_ticket', { id: 1, status: 'closed' });
    expect(text(update)).toBe(
      'update_ticket is not allowed by the authorization details of your access token (action update on ticket 1)',
    );
    // whoami needs no detail.
    expect((await call(client, 'whoami')).isError).toBeUndefined();
    const denied = auditRecords(server.dataDir, 'mcp.tool_call').filter(
      (record) => record.jti === 'at-rar-1' && record.outcome === 'deny',
    );
    expect(denied.map((record) => record.reason)).toEqual(['authorization_details', 'authorization_details']);
  });

  it('[MCP-RFC9396-TOOLS] limits a detail naming one ticket to that ticket, and lists only the tickets allowed', async () => {
    const client = await connect('at-rar-2', [
      { type: TYPE, actions: ['read', 'update'], identifier: '2' },
      { type: TYPE, actions: ['read'], identifier: '3' },
    ]);
    expect((await call(client, 'update_ticket', { id: 2, priority: 'high' })).isError).toBeUndefined();
    expect((await call(client, 'update_ticket', { id: 3, priority: 'high' })).isError).toBe(true);
    expect((await call(client, 'get_ticket', { id: 3 })).isError).toBeUndefined();
    expect((await call(client, 'get_ticket', { id: 1 })).isError).toBe(true);
    const listed = (await call(client, 'list_tickets')).structuredContent as { tickets: { id: number }[] };
    expect(listed.tickets.map((ticket) => ticket.id)).toEqual([2, 3]);
    expect((await call(client, 'create_ticket', { title: 'New', description: 'Needs a desk' })).isError).toBe(true);
  });

  it('[MCP-RFC9396-TOOLS] refuses every ticket tool to a token whose details are for another type or resource', async () => {
    const client = await connect('at-rar-3', [
      { type: 'urn:acme:wiki', actions: ['read'] },
      { type: TYPE, actions: ['read'], locations: ['https://elsewhere.example/mcp'] },
    ]);
    expect((await call(client, 'list_tickets')).isError).toBe(true);
    expect((await call(client, 'get_ticket', { id: 1 })).isError).toBe(true);
  });
});
