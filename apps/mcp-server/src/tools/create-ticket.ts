import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { TICKET_PRIORITIES } from '../tickets/ticket.js';
import { guardedTool } from './guarded-tool.js';
import { storedText } from './stored-text.js';
import type { ToolContext } from './tool-context.js';

const CreateTicketInput = z.strictObject({
  title: storedText(200).describe('A short summary'),
  description: storedText(5000).describe('What happened, what is needed'),
  priority: z.enum(TICKET_PRIORITIES).default('medium').describe('Defaults to medium'),
});

/** `create_ticket` (tickets.write): opens a ticket; the reporter is the caller, never an input (docs/demo-world.md). */
export function registerCreateTicket(server: McpServer, context: ToolContext): void {
  server.registerTool(
    'create_ticket',
    {
      title: 'Create a ticket',
      description: 'Opens a new ticket reported by you.',
      inputSchema: CreateTicketInput,
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
    },
    guardedTool('create_ticket', context, (input: z.output<typeof CreateTicketInput>, caller) => {
      const ticket = context.tickets.create({
        title: input.title,
        description: input.description,
        priority: input.priority,
        reporter: caller.email ?? caller.subject,
      });
      return { ok: true, data: { ticket }, details: { ticket_id: ticket.id } };
    }),
  );
}
