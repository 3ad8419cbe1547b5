import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { guardedTool } from './guarded-tool.js';
import type { ToolContext } from './tool-context.js';

const WhoamiInput = z.strictObject({});

/** `whoami` (any valid token): the subject, email, client id and granted scopes the server sees (docs/demo-world.md). */
export function registerWhoami(server: McpServer, context: ToolContext): void {
  server.registerTool(
    'whoami',
    {
      title: 'Who am I',
      description: 'Shows the identity and the scopes this server sees in your access token.',
      inputSchema: WhoamiInput,
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    guardedTool('whoami', context, (_input: z.output<typeof WhoamiInput>, caller) => ({
      ok: true,
      data: {
        subject: caller.subject,
        email: caller.email ?? null,
        name: caller.name ?? null,
        client_id: caller.clientId,
        scopes: [...caller.scopes],
        issuer: caller.issuer,
      },
    })),
  );
}
