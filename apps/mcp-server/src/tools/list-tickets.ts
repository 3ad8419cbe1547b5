import { AUTHORIZATION_DETAILS_TYPE_TICKETS } from '@ema/protocol';
import { permittedIdentifiers } from '@ema/resource-server';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import type { Ticket } from '../tickets/ticket.js';
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
    guardedTool('list_tickets', context, (input: z.output<typeof ListTicketsInput>, caller) => {
      const limit = input.limit ?? 50;
      // RFC 9396: a token whose authorization details allow reading only some tickets lists only those.
      const permitted = permittedIdentifiers(caller, AUTHORIZATION_DETAILS_TYPE_TICKETS, 'read');
      if (permitted !== 'all') {
        const tickets = permitted
          .map((id) => (/^[1-9][0-9]*$/.test(id) ? context.tickets.find(Number(id)) : undefined))
          .filter((ticket): ticket is Ticket => ticket !== undefined)
          .filter((ticket) => input.status === undefined || ticket.status === input.status)
          .sort((a, b) => a.id - b.id)
          .slice(0, limit);
        return { ok: true, data: { tickets } };
      }
      const tickets = context.tickets.list({ limit, ...(input.status === undefined ? {} : { status: input.status }) });
      return { ok: true, data: { tickets } };
    }),
  );
}
