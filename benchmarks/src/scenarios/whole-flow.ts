import { createHttpClient } from '../client/http-client.js';
import { callTool } from '../client/mcp-client.js';
import { exchangeForIdJag, jwtBearerBody, redeemIdJag } from '../client/token-requests.js';
import { type IterationOutcome, runWorkers } from '../load/worker-load.js';
import type { BenchContext } from './context.js';
import { closeMcpSessions, openMcpSessions } from './mcp-sessions.js';
import { measureWindow, windowSize } from './measurement.js';
import type { Measurement } from './records.js';
import { BENCH_TOOL } from './tools-call.js';

/**
 * Scenario 4: the whole flow for one tool call, per virtual user: token exchange at the IdP, redemption of that
 * fresh ID-JAG at the RAS, `tools/call` at the MCP server with the new access token, in sequence. autocannon cannot
 * chain requests, so `concurrency` async workers run it in a closed loop over keep-alive connections; the latency is
 * that of the whole flow. Each worker has its own MCP session, opened beforehand (an agent keeps its session and
 * swaps in fresh tokens).
 */
export async function measureWholeFlow(context: BenchContext, concurrency: number): Promise<Measurement> {
  const { stack, inputs, settings } = context;
  const sessions = await openMcpSessions(context, concurrency);
  const http = createHttpClient({ maxSockets: concurrency });
  let requestId = 1;

  const iteration = async (worker: number): Promise<IterationOutcome> => {
    const session = sessions[worker];
    if (session === undefined) return { ok: false, status: 0 };
    const exchanged = await exchangeForIdJag(http, inputs.endpoints.idpTokenEndpoint, inputs.exchangeBody);
    if (exchanged.token === undefined) return { ok: false, status: exchanged.status };
    const redeemed = await redeemIdJag(
      http,
      inputs.endpoints.rasTokenEndpoint,
      jwtBearerBody({ assertion: exchanged.token, resource: stack.urls.resource }),
    );
    if (redeemed.token === undefined) return { ok: false, status: redeemed.status };
    requestId += 1;
    const called = await callTool(http, stack.urls.mcpEndpoint, redeemed.token, session, {
      id: requestId,
      name: BENCH_TOOL,
    });
    return { ok: called.ok, status: called.status };
  };

  try {
    const { load, ...usage } = await measureWindow(
      distinctProcesses([...stack.servers.idp, ...stack.servers.ras, ...stack.servers.mcp]),
      settings.warmupSeconds > 0
        ? () => runWorkers({ workers: concurrency, durationSeconds: settings.warmupSeconds, iteration })
        : undefined,
      () => runWorkers({ workers: concurrency, ...windowSize(context), iteration }),
    );
    return {
      scenario: 'whole-flow',
      concurrency,
      load,
      ...usage,
      notes: ['3 requests per flow (exchange, redemption, tools/call); req/s counts whole flows'],
    };
  } finally {
    http.close();
    await closeMcpSessions(context, sessions);
  }
}

/** Each process once: on PostgreSQL the database server serves all three roles. */
function distinctProcesses<T extends { pid: number }>(processes: readonly T[]): T[] {
  return processes.filter((candidate, index) => processes.findIndex((other) => other.pid === candidate.pid) === index);
}
