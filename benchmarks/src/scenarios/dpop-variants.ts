/**
 * The DPoP variant of each load scenario (RFC 9449): the same request with a fresh proof by the load generator's
 * key, against a token bound to it where one is presented. Each is divided by its own bound, `bound-dpop` (the bound
 * plus one proof verification), so the ratio keeps saying how much of the machine's crypto capacity the server keeps,
 * and the report's DPoP rows against the plain ones say what DPoP costs per request.
 *
 * A proof is single use, so a window cannot repeat one request: like the jwt-bearer scenario, each connection's
 * requests are built right before the window (a proof is good for 60 s) and the window is a fixed number of
 * requests, sized from the DPoP bound's rate to last about the configured duration.
 */
import { AGENT_HOST_AT_IDP, AGENT_HOST_AT_RAS } from '../client/demo-credentials.js';
import { mcpHeaders, toolsCallBody } from '../client/mcp-client.js';
import { jwtBearerBody, tokenRequestHeaders } from '../client/token-requests.js';
import { runAutocannon } from '../load/autocannon-load.js';
import type { LoadScenarioId } from '../settings.js';
import type { WatchedProcess } from '../stack/stack.js';
import type { BenchContext } from './context.js';
import { mintIdJagPool } from './id-jag-pool.js';
import { openMcpSessions } from './mcp-sessions.js';
import { measureWindow } from './measurement.js';
import type { Measurement } from './records.js';
import { BENCH_TOOL } from './tools-call.js';

const MAX_WINDOW = 60_000;
const FALLBACK_RPS = 1_000;

interface BuiltRequest {
  headers: Record<string, string>;
  body: string;
}

/** One window of `amount` requests, built per connection just before it starts. */
async function provenWindow(
  url: string,
  concurrency: number,
  amount: number,
  build: (connection: number, index: number) => BuiltRequest,
  verifyBody?: (body: string) => boolean,
) {
  const path = new URL(url).pathname;
  let connections = 0;
  return runAutocannon({
    url,
    connections: concurrency,
    amount,
    ...(verifyBody === undefined ? {} : { verifyBody }),
    setupClient: (client) => {
      const connection = connections;
      connections += 1;
      const count = Math.ceil(amount / concurrency);
      client.setRequests(
        Array.from({ length: count }, (_, index) => ({ method: 'POST', path, ...build(connection, index) })),
      );
    },
  });
}

/** Warm-up and measured window sizes: multiples of the concurrency, from the DPoP bound's rate. */
function windowAmounts(context: BenchContext, concurrency: number): { warmup: number; measured: number } {
  const { settings } = context;
  const bound = context.measurements.find((m) => m.scenario === 'bound-dpop' && m.concurrency === concurrency);
  const rps = bound?.load.requestsPerSecond ?? FALLBACK_RPS;
  const roundUp = (value: number) => Math.ceil(value / concurrency) * concurrency;
  const measured = roundUp(
    Math.min(MAX_WINDOW, settings.requestsPerWindow ?? Math.max(concurrency * 10, rps * settings.durationSeconds)),
  );
  const warmup = settings.warmupSeconds > 0 ? roundUp(Math.min(MAX_WINDOW, rps * settings.warmupSeconds)) : 0;
  return { warmup, measured };
}

async function measureProven(
  context: BenchContext,
  scenario: LoadScenarioId,
  concurrency: number,
  processes: readonly WatchedProcess[],
  url: string,
  build: (connection: number, index: number) => BuiltRequest,
  verifyBody?: (body: string) => boolean,
): Promise<Measurement> {
  const { warmup, measured } = windowAmounts(context, concurrency);
  const { load, ...usage } = await measureWindow(
    processes,
    warmup > 0 ? () => provenWindow(url, concurrency, warmup, build, verifyBody) : undefined,
    () => provenWindow(url, concurrency, measured, build, verifyBody),
  );
  return { scenario, concurrency, load, ...usage, notes: [`${measured} requests, each with its own DPoP proof`] };
}

/** The DPoP bound: scenario 5 plus one DPoP proof verification and thumbprint. */
export function measureBoundDpop(context: BenchContext, concurrency: number): Promise<Measurement> {
  const { bound } = context.stack;
  const url = `${bound.url}/token-dpop`;
  const { proofs } = context.inputs.dpop;
  const headers = tokenRequestHeaders(AGENT_HOST_AT_IDP);
  return measureProven(context, 'bound-dpop', concurrency, [bound.process], url, () => ({
    headers: { ...headers, dpop: proofs.proof('POST', url) },
    body: context.inputs.boundExchangeBody,
  }));
}

/** Scenario 1 with DPoP: the IdP checks the proof and binds the ID-JAG (`cnf.jkt`). */
export function measureTokenExchangeDpop(context: BenchContext, concurrency: number): Promise<Measurement> {
  const { inputs, stack } = context;
  const url = inputs.endpoints.idpTokenEndpoint;
  const headers = tokenRequestHeaders(AGENT_HOST_AT_IDP);
  return measureProven(context, 'token-exchange-dpop', concurrency, stack.servers.idp, url, () => ({
    headers: { ...headers, dpop: inputs.dpop.proofs.proof('POST', url) },
    body: inputs.exchangeBody,
  }));
}

/** Scenario 2 with DPoP: bound ID-JAGs, each redeemed with a proof by their key; the access token is bound too. */
export async function measureJwtBearerDpop(context: BenchContext, concurrency: number): Promise<Measurement> {
  const { inputs, stack } = context;
  const { warmup, measured } = windowAmounts(context, concurrency);
  const perConnection = (amount: number) => Math.ceil(amount / concurrency) * concurrency;
  context.log(`  minting ${perConnection(warmup) + perConnection(measured)} bound ID-JAGs`);
  const pool = await mintIdJagPool(context, perConnection(warmup) + perConnection(measured), inputs.dpop.proofs);
  const url = inputs.endpoints.rasTokenEndpoint;
  const headers = tokenRequestHeaders(AGENT_HOST_AT_RAS);
  const run = (amount: number) => {
    const batch = pool.take(perConnection(amount));
    return provenWindow(url, concurrency, amount, (connection, index) => ({
      headers: { ...headers, dpop: inputs.dpop.proofs.proof('POST', url) },
      body: jwtBearerBody({ assertion: batch[index * concurrency + connection] ?? '', resource: stack.urls.resource }),
    }));
  };
  const { load, ...usage } = await measureWindow(stack.servers.ras, warmup > 0 ? () => run(warmup) : undefined, () =>
    run(measured),
  );
  const notes = [`${measured} requests, each with its own bound ID-JAG and DPoP proof`];
  return { scenario: 'jwt-bearer-dpop', concurrency, load, ...usage, notes };
}

/** Scenario 3 with DPoP: `Authorization: DPoP` and a proof with `ath` on every call. */
export async function measureToolsCallDpop(context: BenchContext, concurrency: number): Promise<Measurement> {
  const { inputs, stack } = context;
  const sessions = await openMcpSessions(context, concurrency);
  const url = stack.urls.mcpEndpoint;
  // The proof names the resource as published (its identifier), which is what the MCP server compares `htu` with;
  // here the server listens on another port than its identifier names.
  const htu = stack.urls.resource;
  const { accessToken, proofs } = inputs.dpop;
  return measureProven(
    context,
    'tools-call-dpop',
    concurrency,
    stack.servers.mcp,
    url,
    (connection) => ({
      headers: {
        ...mcpHeaders(accessToken, sessions[connection % sessions.length]),
        authorization: `DPoP ${accessToken}`,
        dpop: proofs.proof('POST', htu, accessToken),
      },
      body: toolsCallBody(1, BENCH_TOOL),
    }),
    (body) => body.includes('"result"') && !body.includes('"isError":true'),
  );
}
