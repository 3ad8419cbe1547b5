import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { TICKET_STATUSES } from '../tickets/ticket.js';
import { guardedTool } from './guarded-tool.js';
import type { ToolContext } from './tool-context.js';

const ListTicketsInput = z.strictObject({
  status: z.enum(TICKET_STATUSES).optional().describe('Only tickets with this status'),
  limit: z.number().int().min(1).max(100).optional().describe('At most this many tickets (default 50)'),
});

/** `list_tickets` (tickets.read): lists tickets, filterable by status (docs/demo-world.md). */
export function registerListTickets(server: McpServer, context: ToolContext): void {
  server.registerTool(
    'list_tickets',
    {
      title: 'List tickets',
      description: 'Lists tickets, oldest first, optionally only those with a given status.',
      inputSchema: ListTicketsInput,
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    guardedTool('list_tickets', context, (input: z.output<typeof ListTicketsInput>) => {
      const tickets = context.tickets.list({
        limit: input.limit ?? 50,
        ...(input.status === undefined ? {} : { status: input.status }),
      });
      return { ok: true, data: { tickets } };
    }),
  );
}
