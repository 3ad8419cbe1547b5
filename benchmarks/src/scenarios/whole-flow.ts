import { BOUND_REDEEM_PATH, VERIFY_FLOOR_PATH } from '../bound/bound-app.js';
import { createHttpClient } from '../client/http-client.js';
import { callTool, type McpSession } from '../client/mcp-client.js';
import { exchangeForIdJag, jwtBearerBody, redeemIdJag } from '../client/token-requests.js';
import { type IterationOutcome, runWorkers } from '../load/worker-load.js';
import type { LoadScenarioId } from '../settings.js';
import type { WatchedProcess } from '../stack/stack.js';
import type { BenchContext } from './context.js';
import { closeMcpSessions, openMcpSessions } from './mcp-sessions.js';
import { measureWindow, windowSize } from './measurement.js';
import type { Measurement } from './records.js';
import { BENCH_TOOL } from './tools-call.js';

/** Where one flow goes: its three requests and the processes whose CPU and memory count. */
interface FlowTarget {
  tokenEndpoint: string;
  exchangeBody: string;
  redemptionEndpoint: string;
  mcpEndpoint: string;
  processes: WatchedProcess[];
}

/**
 * Scenario 4: the whole flow for one tool call, per virtual user: token exchange at the IdP, redemption of that
 * fresh ID-JAG at the RAS, `tools/call` at the MCP server with the new access token, in sequence. autocannon cannot
 * chain requests, so `concurrency` async workers run it in a closed loop over keep-alive connections; the latency is
 * that of the whole flow. Each worker has its own MCP session, opened beforehand (an agent keeps its session and
 * swaps in fresh tokens).
 */
export async function measureWholeFlow(context: BenchContext, concurrency: number): Promise<Measurement> {
  const { stack, inputs } = context;
  const sessions = await openMcpSessions(context, concurrency);
  try {
    return await measureFlow(context, concurrency, 'whole-flow', sessions, {
      tokenEndpoint: inputs.endpoints.idpTokenEndpoint,
      exchangeBody: inputs.exchangeBody,
      redemptionEndpoint: inputs.endpoints.rasTokenEndpoint,
      mcpEndpoint: stack.urls.mcpEndpoint,
      processes: distinctProcesses([...stack.servers.idp, ...stack.servers.ras, ...stack.servers.mcp]),
    });
  } finally {
    await closeMcpSessions(context, sessions);
  }
}

/**
 * Scenario 4f, the floor of the whole flow, measured rather than estimated: the same three requests from the same
 * workers against the bare endpoints of the bound's process (its exchange, its redemption, the floor of a tool call),
 * so five ES256 operations and three HTTP requests per flow and nothing else. One process serves all three, which
 * spares it the context switches of three: a floor the whole flow cannot quite reach even with free protocol code.
 */
export function measureFlowFloor(context: BenchContext, concurrency: number): Promise<Measurement> {
  const { bound } = context.stack;
  // The floor keeps no sessions: each worker sends the same made-up one, as scenario 4 sends its own.
  const sessions = Array.from({ length: concurrency }, () => ({ sessionId: 'floor', protocolVersion: '2025-11-25' }));
  return measureFlow(context, concurrency, 'flow-floor', sessions, {
    tokenEndpoint: `${bound.url}/token`,
    exchangeBody: context.inputs.boundExchangeBody,
    redemptionEndpoint: `${bound.url}${BOUND_REDEEM_PATH}`,
    mcpEndpoint: `${bound.url}${VERIFY_FLOOR_PATH}`,
    processes: [bound.process],
  });
}

async function measureFlow(
  context: BenchContext,
  concurrency: number,
  scenario: LoadScenarioId,
  sessions: readonly McpSession[],
  target: FlowTarget,
): Promise<Measurement> {
  const { stack, settings } = context;
  const http = createHttpClient({ maxSockets: concurrency });
  let requestId = 1;

  const iteration = async (worker: number): Promise<IterationOutcome> => {
    const session = sessions[worker];
    if (session === undefined) return { ok: false, status: 0 };
    const exchanged = await exchangeForIdJag(http, target.tokenEndpoint, target.exchangeBody);
    if (exchanged.token === undefined) return { ok: false, status: exchanged.status };
    const redeemed = await redeemIdJag(
      http,
      target.redemptionEndpoint,
      jwtBearerBody({ assertion: exchanged.token, resource: stack.urls.resource }),
    );
    if (redeemed.token === undefined) return { ok: false, status: redeemed.status };
    requestId += 1;
    const called = await callTool(http, target.mcpEndpoint, redeemed.token, session, {
      id: requestId,
      name: BENCH_TOOL,
    });
    return { ok: called.ok, status: called.status };
  };

  try {
    const { load, ...usage } = await measureWindow(
      target.processes,
      settings.warmupSeconds > 0
        ? () => runWorkers({ workers: concurrency, durationSeconds: settings.warmupSeconds, iteration })
        : undefined,
      () => runWorkers({ workers: concurrency, ...windowSize(context), iteration }),
    );
    return {
      scenario,
      concurrency,
      load,
      ...usage,
      notes: ['3 requests per flow (exchange, redemption, tools/call); req/s counts whole flows'],
    };
  } finally {
    http.close();
  }
}

/** Each process once: on PostgreSQL the database server serves all three roles. */
function distinctProcesses<T extends { pid: number }>(processes: readonly T[]): T[] {
  return processes.filter((candidate, index) => processes.findIndex((other) => other.pid === candidate.pid) === index);
}
