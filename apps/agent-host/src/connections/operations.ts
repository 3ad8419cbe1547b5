/**
 * The two things a user does with an MCP server: connect (the whole EMA flow, then `tools/list`) and call a tool.
 * Both run through the SDK client authorized by `@ema/ema-client`, with the flow recorder observing every exchange
 * for the inspector.
 */
import type { EmaClient, EmaUser } from '@ema/ema-client';
import { withMcpClient } from '@ema/ema-client/mcp-sdk';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { McpServerEntry } from '../config.js';
import { FlowRecorder, type RecordedExchange } from '../inspector/flow-recorder.js';
import type { ToolView } from '../pages/tool-form.js';

/** The result of an operation: its value or its error, and the exchanges recorded either way. */
export type Outcome<T> =
  | { ok: true; value: T; exchanges: RecordedExchange[] }
  | { ok: false; error: unknown; exchanges: RecordedExchange[] };

async function run<T>(
  ema: EmaClient,
  user: EmaUser,
  server: McpServerEntry,
  operation: Parameters<typeof withMcpClient<T>>[1],
): Promise<Outcome<T>> {
  const recorder = new FlowRecorder();
  const authorization = ema.authorization(user, server.url, { observer: recorder });
  try {
    const value = await withMcpClient(authorization, operation);
    await recorder.settle();
    return { ok: true, value, exchanges: recorder.exchanges };
  } catch (error) {
    await recorder.settle();
    return { ok: false, error, exchanges: recorder.exchanges };
  }
}

/**
 * Connects afresh: forgets the cached token and discovery for (user, server) first, so the whole flow runs and
 * the inspector shows every step, and so that a changed policy applies at once.
 */
export async function connect(
  ema: EmaClient,
  user: EmaUser,
  server: McpServerEntry,
): Promise<Outcome<{ tools: ToolView[]; grantedScopes: string[] }>> {
  ema.forget(user.key, server.url);
  return run(ema, user, server, async (client) => {
    const listed = await client.listTools();
    const tools = listed.tools.map((tool) => ({
      name: tool.name,
      title: tool.title,
      description: tool.description,
      inputSchema: tool.inputSchema,
    }));
    return { tools, grantedScopes: ema.cache.last(user.key, server.url)?.scopes ?? [] };
  });
}

/** Calls one tool with the cached access token (re-minted silently when due, up-scoped once when needed). */
export async function callTool(
  ema: EmaClient,
  user: EmaUser,
  server: McpServerEntry,
  tool: string,
  args: Record<string, unknown>,
): Promise<Outcome<CallToolResult>> {
  return run(
    ema,
    user,
    server,
    async (client) => (await client.callTool({ name: tool, arguments: args })) as CallToolResult,
  );
}
