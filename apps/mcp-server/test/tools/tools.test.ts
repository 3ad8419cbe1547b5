import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectClient, type RunningServer, startServer } from '../support/server.js';
import { createTestKey, mintToken, type TestKey } from '../support/tokens.js';

function text(result: CallToolResult): string {
  const [first] = result.content;
  return first?.type === 'text' ? first.text : '';
}

describe('the tools of Acme Tickets', () => {
  let key: TestKey;
  let server: RunningServer;
  let client: Client;

  beforeAll(async () => {
    key = await createTestKey();
    server = await startServer(key.keys);
    client = await connectClient(server, await mintToken(key, { jti: 'at-tools-1' }));
  });
  afterAll(async () => {
    await client.close();
    await server.close();
  });

  async function call(name: string, args: Record<string, unknown> = {}): Promise<CallToolResult> {
    return (await client.callTool({ name, arguments: args })) as CallToolResult;
  }

  it('lists the five tools with their input schemas', async () => {
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name)).toStrictEqual([
      'whoami',
      'list_tickets',
      'get_ticket',
      'create_ticket',
      'update_ticket',
    ]);
    const create = tools.find((tool) => tool.name === 'create_ticket');
    expect(create?.inputSchema.required).toStrictEqual(['title', 'description']);
    expect(create?.inputSchema.additionalProperties).toBe(false);
  });

  it('whoami returns the subject, email, client id and scopes the server sees', async () => {
    const result = await call('whoami');
    expect(result.isError).toBeUndefined();
    expect(result.structuredContent).toStrictEqual({
      subject: 'alice',
      email: 'alice@acme.example',
      name: null,
      client_id: 'acme-agent-host',
      scopes: ['tickets.read', 'tickets.write'],
      issuer: 'http://localhost:3200',
    });
    expect(JSON.parse(text(result))).toStrictEqual(result.structuredContent);
  });

  it('list_tickets shows the seeded tickets and filters by status', async () => {
    const all = (await call('list_tickets')).structuredContent as { tickets: { id: number; status: string }[] };
    expect(all.tickets.length).toBeGreaterThanOrEqual(5);
    const open = (await call('list_tickets', { status: 'open' })).structuredContent as {
      tickets: { status: string }[];
    };
    expect(open.tickets.length).toBeGreaterThan(0);
    expect(open.tickets.every((ticket) => ticket.status === 'open')).toBe(true);
    const limited = (await call('list_tickets', { limit: 2 })).structuredContent as { tickets: unknown[] };
    expect(limited.tickets).toHaveLength(2);
  });

  it('get_ticket returns one ticket, and a tool error for an unknown id', async () => {
    const found = await call('get_ticket', { id: 1 });
    expect(found.structuredContent).toMatchObject({ ticket: { id: 1, title: 'VPN drops every 30 minutes' } });
    const missing = await call('get_ticket', { id: 9999 });
    expect(missing.isError).toBe(true);
    expect(text(missing)).toBe('Ticket 9999 does not exist');
  });

  it('create_ticket opens a ticket reported by the caller, whatever the input says', async () => {
    const created = await call('create_ticket', { title: '  Monitor flickers ', description: 'Since Monday.' });
    expect(created.isError).toBeUndefined();
    const { ticket } = created.structuredContent as { ticket: Record<string, unknown> };
    expect(ticket).toMatchObject({
      title: 'Monitor flickers',
      description: 'Since Monday.',
      status: 'open',
      priority: 'medium',
      reporter: 'alice@acme.example',
      assignee: null,
    });
    const spoofed = await call('create_ticket', { title: 'x', description: 'y', reporter: 'bob@acme.example' });
    expect(spoofed.isError).toBe(true);
  });

  it('update_ticket changes status, priority and assignee, and unassigns with null', async () => {
    const updated = await call('update_ticket', {
      id: 3,
      status: 'in_progress',
      priority: 'urgent',
      assignee: 'carol',
    });
    expect(updated.structuredContent).toMatchObject({
      ticket: { id: 3, status: 'in_progress', priority: 'urgent', assignee: 'carol' },
    });
    const unassigned = await call('update_ticket', { id: 3, assignee: null });
    expect(unassigned.structuredContent).toMatchObject({ ticket: { id: 3, status: 'in_progress', assignee: null } });
  });

  it('update_ticket refuses an update that changes nothing, and an unknown ticket', async () => {
    const nothing = await call('update_ticket', { id: 3 });
    expect(nothing.isError).toBe(true);
    expect(text(nothing)).toBe('Nothing to change: give a status, priority or assignee');
    const missing = await call('update_ticket', { id: 424242, status: 'closed' });
    expect(missing.isError).toBe(true);
    expect(text(missing)).toBe('Ticket 424242 does not exist');
  });

  it('[MCP-TOOLS-INPUT-VALIDATION] answers bad input with a clear tool error, never a crash', async () => {
    const cases: [string, Record<string, unknown>][] = [
      ['get_ticket', { id: 'one' }],
      ['get_ticket', {}],
      ['get_ticket', { id: -1 }],
      ['list_tickets', { status: 'lost' }],
      ['list_tickets', { limit: 1000 }],
      ['create_ticket', { title: '', description: 'empty title' }],
      ['create_ticket', { title: 'x'.repeat(201), description: 'too long' }],
      ['update_ticket', { id: 1, status: 'done' }],
      ['whoami', { extra: true }],
    ];
    for (const [name, args] of cases) {
      const result = await call(name, args);
      expect(result.isError, `${name} ${JSON.stringify(args)}`).toBe(true);
      expect(text(result)).toContain(`Input validation error: Invalid arguments for tool ${name}: `);
    }
    // The session still works afterwards.
    expect((await call('whoami')).isError).toBeUndefined();
  });

  it('[MCP-TOOLS-ERROR-ISERROR] reports an unknown tool as a tool error', async () => {
    const result = await call('delete_everything');
    expect(result.isError).toBe(true);
    expect(text(result)).toContain('Tool delete_everything not found');
  });
});
