/**
 * Scenario 6, time to cut-off: from the admin's API call that disables a user at the IdP to the first tool call the
 * MCP server refuses, through the whole chain (the IdP's Security Event to the RAS, the RAS's to the MCP server). One
 * series of `cutoffs` cut-offs, each on a fresh sign-in of a user created for the run; then one with the RAS stopped
 * for `rasDownSeconds` during the event, timed from the RAS answering its health check again.
 */
import { randomBytes } from 'node:crypto';
import { createHttpClient, type HttpClient } from '../client/http-client.js';
import { callTool, type McpSession, openMcpSession } from '../client/mcp-client.js';
import { signInForIdToken } from '../client/sign-in.js';
import { exchangeForIdJag, jwtBearerBody, redeemIdJag, tokenExchangeBody } from '../client/token-requests.js';
import { BENCH_IDP_ADMIN_TOKEN } from '../stack/stack.js';
import type { BenchContext } from './context.js';
import type { CutoffMeasurement } from './records.js';
import { BENCH_TOOL } from './tools-call.js';

/** The IdP's delivery retry bound in the benchmark stack (its default, `IDP_SSF_RETRY_MAX_DELAY_MS`). */
export const DELIVERY_RETRY_BOUND_MS = 5000;
/** How long a cut-off may take before the run calls it a failure. */
const GIVE_UP_MS = 30_000;

interface Connection {
  accessToken: string;
  session: McpSession;
}

/** Runs the scenario; pushes its checks; returns the two series. */
export async function measureRevocation(context: BenchContext): Promise<CutoffMeasurement[]> {
  const { stack, settings, checks, log } = context;
  const http = createHttpClient({ maxSockets: 4 });
  const user = { username: 'cutoff-bench', password: `cutoff-${randomBytes(12).toString('base64url')}` };
  try {
    const userId = await createUser(context, http, user);
    const samples: number[] = [];
    for (let run = 0; run < settings.revocation.cutoffs; run += 1) {
      const connection = await connect(context, http, user);
      const started = performance.now();
      await setDisabled(context, http, userId, true);
      const refusedAt = await firstRefusal(context, http, connection);
      samples.push(refusedAt - started);
      await setDisabled(context, http, userId, false);
      // Cut-offs have one-second resolution (whole-second iat): the next sign-in starts in a later second.
      await nextSecond();
    }
    log(`  ${samples.length} cut-offs, median ${median(samples).toFixed(1)} ms, p99 ${p99(samples).toFixed(1)} ms`);
    const series = [summary('admin API call to the first refused tool call', samples, [])];

    const connection = await connect(context, http, user);
    let acceptedWhileDown = false;
    await stack.restartRas(async () => {
      await setDisabled(context, http, userId, true);
      await new Promise((resolve) => setTimeout(resolve, settings.revocation.rasDownSeconds * 1000));
      // The MCP server has not heard of it: the RAS, which forwards, is down.
      acceptedWhileDown = (await call(context, http, connection)).status === 200;
    });
    const back = performance.now();
    const landed = (await firstRefusal(context, http, connection)) - back;
    await setDisabled(context, http, userId, false);
    series.push(
      summary(
        `RAS down ${settings.revocation.rasDownSeconds} s during the event: RAS healthy again to the first refused tool call`,
        [landed],
        [
          `the token was ${acceptedWhileDown ? 'still accepted' : 'NOT accepted'} while the RAS was down (expected: accepted)`,
        ],
      ),
    );
    checks.push(
      {
        scenario: 'revocation',
        name: 'every cut-off lands within a second (median)',
        passed: samples.length > 0 && median(samples) < 1000,
        detail: `median ${median(samples).toFixed(1)} ms, p99 ${p99(samples).toFixed(1)} ms over ${samples.length}`,
      },
      {
        scenario: 'revocation',
        name: 'with the RAS down during the event, the cut-off lands within the delivery retry bound once it is back',
        passed: landed <= DELIVERY_RETRY_BOUND_MS + 1000,
        detail: `${landed.toFixed(0)} ms after the RAS was healthy (bound ${DELIVERY_RETRY_BOUND_MS} ms, plus 1 s for the RAS's start-up and the forward)`,
      },
    );
    return series;
  } finally {
    http.close();
  }
}

async function admin(context: BenchContext, http: HttpClient, method: string, path: string, body?: unknown) {
  const response = await http.send(`${context.stack.urls.idpIssuer}/admin/api${path}`, {
    method,
    headers: {
      authorization: `Bearer ${BENCH_IDP_ADMIN_TOKEN}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (response.status >= 300)
    throw new Error(`IdP admin ${method} ${path}: ${response.status} ${response.body.slice(0, 200)}`);
  return response;
}

async function createUser(
  context: BenchContext,
  http: HttpClient,
  user: { username: string; password: string },
): Promise<string> {
  const created = await admin(context, http, 'POST', '/users', {
    ...user,
    name: 'Cut-off Benchmark',
    email: 'cutoff-bench@acme.example',
    groups: ['engineering'],
  });
  const id: unknown = JSON.parse(created.body).id;
  if (typeof id !== 'string') throw new Error('the IdP created no user id');
  return id;
}

function setDisabled(context: BenchContext, http: HttpClient, userId: string, disabled: boolean) {
  return admin(context, http, 'PATCH', `/users/${userId}`, { disabled });
}

/** A fresh sign-in, exchange, redemption and MCP session, and one successful call. */
async function connect(
  context: BenchContext,
  http: HttpClient,
  user: { username: string; password: string },
): Promise<Connection> {
  const { urls } = context.stack;
  const { endpoints } = context.inputs;
  const idToken = await signInForIdToken(
    { authorizationEndpoint: endpoints.idpAuthorizationEndpoint, tokenEndpoint: endpoints.idpTokenEndpoint },
    user,
  );
  const exchanged = await exchangeForIdJag(
    http,
    endpoints.idpTokenEndpoint,
    tokenExchangeBody({ subjectToken: idToken, audience: urls.rasIssuer, resource: urls.resource }),
  );
  if (exchanged.token === undefined) throw new Error(`token exchange failed: ${exchanged.status} ${exchanged.body}`);
  const redeemed = await redeemIdJag(
    http,
    endpoints.rasTokenEndpoint,
    jwtBearerBody({ assertion: exchanged.token, resource: urls.resource }),
  );
  if (redeemed.token === undefined) throw new Error(`redemption failed: ${redeemed.status} ${redeemed.body}`);
  const session = await openMcpSession(http, urls.mcpEndpoint, redeemed.token);
  const connection = { accessToken: redeemed.token, session };
  const first = await call(context, http, connection);
  if (!first.ok) throw new Error(`the first tool call failed: ${first.status} ${first.body.slice(0, 200)}`);
  return connection;
}

let callId = 0;
function call(context: BenchContext, http: HttpClient, connection: Connection) {
  callId += 1;
  return callTool(http, context.stack.urls.mcpEndpoint, connection.accessToken, connection.session, {
    id: callId,
    name: BENCH_TOOL,
  });
}

/** Calls the tool back to back until the MCP server refuses the token (401); returns when (performance.now()). */
async function firstRefusal(context: BenchContext, http: HttpClient, connection: Connection): Promise<number> {
  const started = performance.now();
  for (;;) {
    const outcome = await call(context, http, connection);
    if (outcome.status === 401) return performance.now();
    // A call in flight when the revocation closed the user's sessions is answered 404 (the session is gone, MCP
    // "Session Management"); the next call, with the same token, is refused.
    if (outcome.status === 404) continue;
    if (outcome.status !== 200) throw new Error(`a tool call failed unexpectedly: ${outcome.status}`);
    if (performance.now() - started > GIVE_UP_MS) throw new Error('the token was not refused within 30 s');
  }
}

function nextSecond(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 1000 - (Date.now() % 1000) + 20));
}

function summary(name: string, samples: readonly number[], notes: string[]): CutoffMeasurement {
  const round = (value: number) => Math.round(value * 10) / 10;
  return {
    name,
    samplesMs: samples.map(round),
    medianMs: round(median(samples)),
    p99Ms: round(p99(samples)),
    maxMs: round(Math.max(...samples)),
    notes,
  };
}

function sorted(samples: readonly number[]): number[] {
  return [...samples].sort((a, b) => a - b);
}

function median(samples: readonly number[]): number {
  const values = sorted(samples);
  const middle = Math.floor(values.length / 2);
  if (values.length === 0) return Number.NaN;
  return values.length % 2 === 1 ? (values[middle] ?? 0) : ((values[middle - 1] ?? 0) + (values[middle] ?? 0)) / 2;
}

/** The 99th percentile (nearest rank). */
function p99(samples: readonly number[]): number {
  const values = sorted(samples);
  return values[Math.max(0, Math.ceil(values.length * 0.99) - 1)] ?? Number.NaN;
}
