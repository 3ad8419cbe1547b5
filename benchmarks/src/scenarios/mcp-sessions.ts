import { createHttpClient } from '../client/http-client.js';
import { closeMcpSession, type McpSession, openMcpSession } from '../client/mcp-client.js';
import type { BenchContext } from './context.js';

/**
 * Opens `count` MCP sessions with the prepared access token, before any window (session set-up is not what the
 * scenarios measure). The MCP server binds a session to (iss, sub, client_id), so later tokens for the same user
 * and client may use it.
 */
export async function openMcpSessions(
  context: BenchContext,
  count: number,
  endpoint: string = context.stack.urls.mcpEndpoint,
): Promise<McpSession[]> {
  const http = createHttpClient({ maxSockets: 1 });
  try {
    const sessions: McpSession[] = [];
    for (let index = 0; index < count; index += 1) {
      sessions.push(await openMcpSession(http, endpoint, context.inputs.accessToken));
    }
    return sessions;
  } finally {
    http.close();
  }
}

/**
 * Ends the sessions a window opened, so that the next window (and the memory readings of `sessions-memory`) starts
 * without them.
 */
export async function closeMcpSessions(
  context: BenchContext,
  sessions: readonly McpSession[],
  endpoint: string = context.stack.urls.mcpEndpoint,
): Promise<void> {
  const http = createHttpClient({ maxSockets: 1 });
  try {
    for (const session of sessions) await closeMcpSession(http, endpoint, context.inputs.accessToken, session);
  } finally {
    http.close();
  }
}
