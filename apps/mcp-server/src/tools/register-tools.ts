import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { registerCreateTicket } from './create-ticket.js';
import { registerGetTicket } from './get-ticket.js';
import { registerListTickets } from './list-tickets.js';
import type { ToolContext } from './tool-context.js';
import { registerUpdateTicket } from './update-ticket.js';
import { registerWhoami } from './whoami.js';

/** Registers the tools of docs/demo-world.md on one session's MCP server. */
export function registerTools(server: McpServer, context: ToolContext): void {
  registerWhoami(server, context);
  registerListTickets(server, context);
  registerGetTicket(server, context);
  registerCreateTicket(server, context);
  registerUpdateTicket(server, context);
}
