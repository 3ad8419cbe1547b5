import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { guardedTool } from './guarded-tool.js';
import type { ToolContext } from './tool-context.js';

const GetTicketInput = z.strictObject({
  id: z.number().int().positive().describe('The ticket number'),
});

/** `get_ticket` (tickets.read): one ticket by id (docs/demo-world.md). */
export function registerGetTicket(server: McpServer, context: ToolContext): void {
  server.registerTool(
    'get_ticket',
    {
      title: 'Get a ticket',
      description: 'Shows one ticket by its number.',
      inputSchema: GetTicketInput,
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    guardedTool('get_ticket', context, (input: z.output<typeof GetTicketInput>) => {
      const ticket = context.tickets.find(input.id);
      if (ticket === undefined) return { ok: false, reason: 'not_found', message: `Ticket ${input.id} does not exist` };
      return { ok: true, data: { ticket }, details: { ticket_id: ticket.id } };
    }),
  );
}
