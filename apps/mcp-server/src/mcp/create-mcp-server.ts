import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { registerTools } from '../tools/register-tools.js';
import type { ToolContext } from '../tools/tool-context.js';

/** The server identity announced in the MCP `initialize` result. */
export const SERVER_INFO = { name: 'acme-tickets', title: 'Acme Tickets', version: '0.1.0' } as const;

/** One MCP server (one per session: the SDK binds a server to one transport) with the tools of DEMO.md. */
export function createMcpServer(context: ToolContext): McpServer {
  const server = new McpServer(SERVER_INFO, {
    capabilities: { tools: {} },
    instructions:
      'Acme Tickets: list, read, open and update IT tickets. Reading needs tickets.read, changes tickets.write (and, by default, a sign-in with a second factor).',
  });
  registerTools(server, context);
  return server;
}
