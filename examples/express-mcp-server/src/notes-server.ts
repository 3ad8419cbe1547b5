import { AccessTokenPrincipal } from '@ema/resource-server';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import type { NoteStore } from './note-store.js';
import { NOTES_TOOL_SCOPES, type NotesTool } from './tool-scopes.js';

/** An `McpServer` with the two tools of "Team Notes" (a new one per request: the transport is stateless). */
export function createNotesServer(store: NoteStore): McpServer {
  const server = new McpServer({ name: 'team-notes', title: 'Team Notes', version: '0.1.0' });

  server.registerTool(
    'list_notes',
    {
      description: 'Lists your notes.',
      inputSchema: z.strictObject({}),
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    async (_input, extra) => {
      const caller = authorized('list_notes', extra.authInfo);
      if (!(caller instanceof AccessTokenPrincipal)) return caller;
      return result({ owner: caller.email ?? caller.subject, notes: store.list(ownerKey(caller)) });
    },
  );

  server.registerTool(
    'add_note',
    {
      description: 'Adds a note to your notes.',
      inputSchema: z.strictObject({ text: z.string().min(1).max(500) }),
      annotations: { readOnlyHint: false, destructiveHint: false, openWorldHint: false },
    },
    async ({ text }, extra) => {
      const caller = authorized('add_note', extra.authInfo);
      if (!(caller instanceof AccessTokenPrincipal)) return caller;
      const note = store.add(ownerKey(caller), text, caller.email ?? caller.subject);
      if (note === undefined) return refusal('You have too many notes; this example keeps at most 100.');
      return result({ note });
    },
  );

  return server;
}

/**
 * The verified caller, or a tool error. The scope is checked again here, so a tool never runs without its scope
 * whatever path the request took (the HTTP layer normally answers `403 insufficient_scope` before).
 */
function authorized(
  tool: NotesTool,
  authInfo: { extra?: Record<string, unknown> } | undefined,
): AccessTokenPrincipal | CallToolResult {
  const caller = AccessTokenPrincipal.fromAuthInfo(authInfo);
  if (caller === undefined) return refusal(`${tool} needs an authenticated caller`);
  const missing = caller.missingScopes(NOTES_TOOL_SCOPES.tools[tool]);
  if (missing.length > 0) return refusal(`Insufficient scope: ${tool} requires the scope ${missing.join(' ')}`);
  return caller;
}

// Notes belong to the user at the issuer, whichever client they use.
function ownerKey(caller: AccessTokenPrincipal): string {
  return JSON.stringify([caller.issuer, caller.subject]);
}

function result(data: Record<string, unknown>): CallToolResult {
  return { content: [{ type: 'text', text: JSON.stringify(data) }], structuredContent: data };
}

function refusal(message: string): CallToolResult {
  return { content: [{ type: 'text', text: message }], isError: true };
}
