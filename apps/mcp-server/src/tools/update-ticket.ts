import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { TICKET_PRIORITIES, TICKET_STATUSES } from '../tickets/ticket.js';
import { guardedTool } from './guarded-tool.js';
import { storedText } from './stored-text.js';
import type { ToolContext } from './tool-context.js';

const UpdateTicketInput = z.strictObject({
  id: z.number().int().positive().describe('The ticket number'),
  status: z.enum(TICKET_STATUSES).optional(),
  priority: z.enum(TICKET_PRIORITIES).optional(),
  assignee: storedText(200).nullable().optional().describe('Who works on it; null unassigns'),
});

/** `update_ticket` (tickets.write): changes status, priority or assignee of a ticket (docs/demo-world.md). */
export function registerUpdateTicket(server: McpServer, context: ToolContext): void {
  server.registerTool(
    'update_ticket',
    {
      title: 'Update a ticket',
      description: 'Changes the status, priority or assignee of a ticket.',
      inputSchema: UpdateTicketInput,
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    },
    guardedTool('update_ticket', context, (input: z.output<typeof UpdateTicketInput>) => {
      const { id, status, priority, assignee } = input;
      if (status === undefined && priority === undefined && assignee === undefined) {
        return {
          ok: false,
          reason: 'invalid_input',
          message: 'Nothing to change: give a status, priority or assignee',
        };
      }
      const ticket = context.tickets.update(id, {
        ...(status === undefined ? {} : { status }),
        ...(priority === undefined ? {} : { priority }),
        ...(assignee === undefined ? {} : { assignee }),
      });
      if (ticket === undefined) return { ok: false, reason: 'not_found', message: `Ticket ${id} does not exist` };
      return {
        ok: true,
        data: { ticket },
        details: { ticket_id: id, changed: Object.keys(input).filter((k) => k !== 'id') },
      };
    }),
  );
}
