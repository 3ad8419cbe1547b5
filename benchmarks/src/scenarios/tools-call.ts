import { createHttpClient } from '../client/http-client.js';
import { callTool, type McpSession, mcpHeaders, toolsCallBody } from '../client/mcp-client.js';
import type { BenchContext } from './context.js';
import { openMcpSessions } from './mcp-sessions.js';
import { measureAutocannon } from './measurement.js';
import type { Measurement } from './records.js';

/** The read tool every MCP request calls (docs/demo-world.md: needs `tickets.read`). */
export const BENCH_TOOL = 'list_tickets';

/**
 * Scenario 3: MCP `tools/call` of `list_tickets` with a valid access token: bearer validation (signature via the
 * RAS JWKS, `typ`, `iss`, `aud`, `exp`, scope) plus the MCP session and the tool itself. Each connection gets its own
 * initialized session, like separate agents, so that no two requests share a session at the same time.
 */
export async function measureToolsCall(context: BenchContext, concurrency: number): Promise<Measurement> {
  const { stack, inputs } = context;
  const sessions = await openMcpSessions(context, concurrency);
  await checkToolAnswers(context, sessions[0]);
  let next = 0;
  return measureAutocannon(context, 'tools-call', concurrency, [stack.mcp], {
    url: stack.urls.mcpEndpoint,
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
}

/** autocannon only sees statuses: check once, before the window, that a 200 here really is a tool result. */
async function checkToolAnswers(context: BenchContext, session: McpSession | undefined): Promise<void> {
  if (session === undefined) throw new Error('tools/call: no MCP session');
  const http = createHttpClient({ maxSockets: 1 });
  try {
    const outcome = await callTool(http, context.stack.urls.mcpEndpoint, context.inputs.accessToken, session, {
      id: 1,
      name: BENCH_TOOL,
    });
    if (!outcome.ok)
      throw new Error(`tools/call ${BENCH_TOOL} failed: ${outcome.status} ${outcome.body.slice(0, 300)}`);
  } finally {
    http.close();
  }
}
