import { rmSync } from 'node:fs';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, describe, expect, it } from 'vitest';
import { connectClient, startServer, tempDataDir } from '../support/server.js';
import { createTestKey, mintToken } from '../support/tokens.js';

interface TicketList {
  tickets: { id: number; title: string; status: string }[];
}

describe('ticket persistence', () => {
  const dataDir = tempDataDir();
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('[MCP-TICKETS-PERSIST] keeps tickets across an app restart on the same data directory, seeding only once', async () => {
    const key = await createTestKey();
    const first = await startServer(key.keys, { dataDir });
    const client = await connectClient(first, await mintToken(key));
    const seeded = (await client.callTool({ name: 'list_tickets', arguments: {} })) as CallToolResult;
    expect((seeded.structuredContent as unknown as TicketList).tickets).toHaveLength(5);
    const created = (await client.callTool({
      name: 'create_ticket',
      arguments: { title: 'Survives restarts', description: 'Persisted in SQLite', priority: 'high' },
    })) as CallToolResult;
    const { id } = (created.structuredContent as { ticket: { id: number } }).ticket;
    await client.callTool({ name: 'update_ticket', arguments: { id: 1, status: 'closed' } });
    await client.close();
    await first.close();

    const second = await startServer(key.keys, { dataDir });
    const again = await connectClient(second, await mintToken(key));
    const listed = (await again.callTool({ name: 'list_tickets', arguments: {} })) as CallToolResult;
    const { tickets } = listed.structuredContent as unknown as TicketList;
    expect(tickets).toHaveLength(6);
    expect(tickets.find((ticket) => ticket.id === id)?.title).toBe('Survives restarts');
    expect(tickets.find((ticket) => ticket.id === 1)?.status).toBe('closed');
    await again.close();
    await second.close();
  });
});
