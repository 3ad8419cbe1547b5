import { createHttpClient } from '../client/http-client.js';
import { callTool, type McpSession, mcpHeaders, toolsCallBody } from '../client/mcp-client.js';
import type { LoadScenarioId } from '../settings.js';
import type { Stack, WatchedProcess } from '../stack/stack.js';
import type { BenchContext } from './context.js';
import { closeMcpSessions, openMcpSessions } from './mcp-sessions.js';
import { measureAutocannon } from './measurement.js';
import type { Measurement } from './records.js';

/** The read tool every MCP request calls (docs/demo-world.md: needs `tickets.read`). */
export const BENCH_TOOL = 'list_tickets';

/** An MCP server to call `list_tickets` at: ours, or the MCP SDK peer. */
export interface ToolCallTarget {
  scenario: LoadScenarioId;
  endpoint: string;
  /** What serves it, as the window watches it: every instance (and the database server) on PostgreSQL. */
  processes: readonly WatchedProcess[];
}

/**
 * Scenario 3: MCP `tools/call` of `list_tickets` with a valid access token: bearer validation (signature via the
 * RAS JWKS, `typ`, `iss`, `aud`, `exp`, scope) plus the MCP session and the tool itself. Each connection gets its own
 * initialized session, like separate agents, so that no two requests share a session at the same time.
 */
export function measureToolsCall(context: BenchContext, concurrency: number): Promise<Measurement> {
  const { stack } = context;
  return measureToolCalls(context, concurrency, {
    scenario: 'tools-call',
    endpoint: stack.urls.mcpEndpoint,
    processes: stack.servers.mcp,
  });
}

/** The same requests at the MCP server written as the SDK's README shows (`peers/sdk-mcp-app.ts`). */
export function measurePeerToolsCall(context: BenchContext<Stack>, concurrency: number): Promise<Measurement> {
  const { peers } = context.stack;
  return measureToolCalls(context, concurrency, {
    scenario: 'peer-mcp',
    endpoint: peers.mcpEndpoint,
    processes: [peers.mcp],
  });
}

/** One `tools/call` window at `target`. */
export async function measureToolCalls(
  context: BenchContext,
  concurrency: number,
  target: ToolCallTarget,
): Promise<Measurement> {
  const { inputs } = context;
  const sessions = await openMcpSessions(context, concurrency, target.endpoint);
  await checkToolAnswers(context, target.endpoint, sessions[0]);
  let next = 0;
  const measurement = await measureAutocannon(context, target.scenario, concurrency, target.processes, {
    url: target.endpoint,
    method: 'POST',
    headers: mcpHeaders(inputs.accessToken, sessions[0]),
    body: toolsCallBody(1, BENCH_TOOL),
    // A 200 can carry a JSON-RPC error or a tool error: only a result that is not `isError` counts as a success.
    verifyBody: (body) => body.includes('"result"') && !body.includes('"isError":true'),
    setupClient: (client) => {
      const session = sessions[next % sessions.length];
      next += 1;
      client.setHeaders(mcpHeaders(inputs.accessToken, session));
    },
  });
  await closeMcpSessions(context, sessions, target.endpoint);
  return measurement;
}

/** autocannon only sees statuses: check once, before the window, that a 200 here really is a tool result. */
async function checkToolAnswers(context: BenchContext, endpoint: string, session: McpSession | undefined) {
  if (session === undefined) throw new Error('tools/call: no MCP session');
  const http = createHttpClient({ maxSockets: 1 });
  try {
    const outcome = await callTool(http, endpoint, context.inputs.accessToken, session, { id: 1, name: BENCH_TOOL });
    if (!outcome.ok)
      throw new Error(
        `tools/call ${BENCH_TOOL} at ${endpoint} failed: ${outcome.status} ${outcome.body.slice(0, 300)}`,
      );
  } finally {
    http.close();
  }
}
