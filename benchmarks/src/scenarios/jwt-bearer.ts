import type { AutocannonClient } from 'autocannon';
import { AGENT_HOST_AT_RAS } from '../client/demo-credentials.js';
import { createHttpClient } from '../client/http-client.js';
import { jwtBearerBody, tokenRequestHeaders } from '../client/token-requests.js';
import { runAutocannon } from '../load/autocannon-load.js';
import type { LoadScenarioId } from '../settings.js';
import type { Stack, WatchedProcess } from '../stack/stack.js';
import type { BenchContext } from './context.js';
import { mintIdJagPool } from './id-jag-pool.js';
import { measureWindow } from './measurement.js';
import type { Measurement } from './records.js';
import { raceRedemptions, replayRedeemed } from './single-use.js';

/** Pool sizes are estimated from the bound's throughput; this caps the minting time of one window. */
const MAX_POOL = 80_000;
const FALLBACK_RPS = 2_000;
const REPLAY_SAMPLE = 300;
const RACE_PAIRS = 20;

/**
 * Scenario 2: RFC 7523 jwt-bearer redemption at the RAS, each request a fresh ID-JAG minted beforehand by the
 * IdP's real token exchange. A window is a fixed number of requests (the pool), sized so that at the bound's rate it
 * lasts the configured duration. After the window: replays of redeemed ID-JAGs and racing pairs check single use.
 */
export function measureJwtBearer(context: BenchContext, concurrency: number): Promise<Measurement> {
  const { stack, inputs } = context;
  return measureRedemptions(context, concurrency, {
    scenario: 'jwt-bearer',
    tokenEndpoint: inputs.endpoints.rasTokenEndpoint,
    processes: stack.servers.ras,
  });
}

/** The same redemptions (fresh ID-JAGs, same client) at the oidc-provider peer (`peers/oidc-provider-ras-app.ts`). */
export function measurePeerJwtBearer(context: BenchContext<Stack>, concurrency: number): Promise<Measurement> {
  const { peers } = context.stack;
  return measureRedemptions(context, concurrency, {
    scenario: 'peer-ras',
    tokenEndpoint: peers.rasTokenEndpoint,
    processes: [peers.ras],
  });
}

/** An authorization server to redeem ID-JAGs at: ours, or the oidc-provider peer. */
export interface RedemptionTarget {
  scenario: LoadScenarioId;
  tokenEndpoint: string;
  /** What serves it, as the window watches it: every instance (and the database server) on PostgreSQL. */
  processes: readonly WatchedProcess[];
}

/** One redemption window at `target`, then its single-use checks. */
export async function measureRedemptions(
  context: BenchContext,
  concurrency: number,
  target: RedemptionTarget,
): Promise<Measurement> {
  const { settings, stack } = context;
  const rps = boundRps(context, concurrency);
  // Multiples of the concurrency: autocannon then gives every connection the same share, exactly its own requests.
  const roundUp = (amount: number) => Math.ceil(amount / concurrency) * concurrency;
  const warmupAmount = settings.warmupSeconds > 0 ? roundUp(rps * settings.warmupSeconds) : 0;
  const measuredAmount = roundUp(
    Math.min(MAX_POOL, settings.requestsPerWindow ?? Math.max(concurrency * 10, rps * settings.durationSeconds)),
  );
  context.log(`  minting ${warmupAmount + measuredAmount + RACE_PAIRS} ID-JAGs through the IdP's token exchange`);
  const pool = await mintIdJagPool(context, warmupAmount + measuredAmount + RACE_PAIRS);

  const redeemed: string[] = [];
  const endpoint = new URL(target.tokenEndpoint);
  const headers = tokenRequestHeaders(AGENT_HOST_AT_RAS);
  const run = (amount: number) => {
    // Each connection's requests are built before the window (like the pool, they are preparation): in the window
    // the load generator only writes a ready buffer per request, as it does for every other scenario. Rebuilding
    // each request as it is sent (autocannon's `setupRequest`) costs the load generator about 20 µs per request on
    // the two cores the servers use, and measurably lowers the throughput of the very same server.
    // Connection k sends ID-JAGs k, k + c, k + 2c, ... of the batch: the RAS receives them about in the order the IdP
    // minted them, as it would in production, where an ID-JAG is redeemed right after it is issued.
    const batch = pool.take(amount);
    const sent = new Map<AutocannonClient, { assertions: string[]; requests: number }>();
    return runAutocannon({
      url: endpoint.toString(),
      connections: concurrency,
      amount,
      setupClient: (client) => {
        const assertions = batch.filter((_, index) => index % concurrency === sent.size);
        const connection = { assertions, requests: 0 };
        sent.set(client, connection);
        client.on('request', () => {
          connection.requests += 1;
        });
        client.setRequests(
          assertions.map((assertion) => ({
            method: 'POST',
            path: endpoint.pathname,
            headers,
            body: jwtBearerBody({ assertion, resource: stack.urls.resource }),
          })),
        );
      },
      // Pipelining 1: a response answers the connection's latest request.
      onResponse: (client, status) => {
        const connection = sent.get(client);
        const assertion = connection?.assertions[connection.requests - 1];
        if (status === 200 && assertion !== undefined) redeemed.push(assertion);
      },
    });
  };

  const { load, ...usage } = await measureWindow(
    target.processes,
    warmupAmount > 0 ? () => run(warmupAmount) : undefined,
    () => run(measuredAmount),
  );

  const http = createHttpClient({ maxSockets: 16 });
  try {
    const sample = redeemed.length <= REPLAY_SAMPLE ? redeemed : spread(redeemed, REPLAY_SAMPLE);
    const replay = await replayRedeemed(http, endpoint.toString(), stack.urls.resource, sample);
    context.checks.push({
      scenario: target.scenario,
      name: `replays refused (c=${concurrency})`,
      passed: replay.accepted === 0 && replay.sent > 0,
      detail: `${replay.sent} redeemed ID-JAGs sent again: ${replay.accepted} accepted, statuses ${JSON.stringify(replay.statuses)}`,
    });
    const fresh = pool.take(RACE_PAIRS);
    const race = await raceRedemptions(http, endpoint.toString(), stack.urls.resource, fresh);
    context.checks.push({
      scenario: target.scenario,
      name: `concurrent double redemption (c=${concurrency})`,
      passed: race.pairs === RACE_PAIRS && race.exactlyOnce === race.pairs,
      detail: `${race.pairs} fresh ID-JAGs each redeemed twice at once: exactly one success in ${race.exactlyOnce}`,
    });
  } finally {
    http.close();
  }

  const notes = [
    `${measuredAmount} requests, each with its own ID-JAG (minted beforehand in ${pool.mintSeconds.toFixed(1)} s)`,
  ];
  return { scenario: target.scenario, concurrency, load, ...usage, notes };
}

/** The bound's measured rate at this concurrency (it runs first), which sizes the pool. */
function boundRps(context: BenchContext, concurrency: number): number {
  const bound = context.measurements.find((m) => m.scenario === 'bound' && m.concurrency === concurrency);
  return bound?.load.requestsPerSecond ?? FALLBACK_RPS;
}

/** `count` items spread evenly over `items` (so the sample covers the whole window). */
function spread<T>(items: readonly T[], count: number): T[] {
  const step = items.length / count;
  return Array.from({ length: count }, (_, index) => items[Math.floor(index * step)]).filter(
    (item): item is T => item !== undefined,
  );
}
