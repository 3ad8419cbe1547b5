import type { AutocannonRequest } from 'autocannon';
import { AGENT_HOST_AT_RAS } from '../client/demo-credentials.js';
import { createHttpClient } from '../client/http-client.js';
import { jwtBearerBody, tokenRequestHeaders } from '../client/token-requests.js';
import { runAutocannon } from '../load/autocannon-load.js';
import type { BenchContext } from './context.js';
import { mintIdJagPool } from './id-jag-pool.js';
import { type Measurement, measureWindow } from './measurement.js';
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
export async function measureJwtBearer(context: BenchContext, concurrency: number): Promise<Measurement> {
  const { settings, stack, inputs } = context;
  const rps = boundRps(context, concurrency);
  const warmupAmount = settings.warmupSeconds > 0 ? Math.max(concurrency, Math.ceil(rps * settings.warmupSeconds)) : 0;
  const measuredAmount = Math.min(
    MAX_POOL,
    settings.requestsPerWindow ?? Math.max(concurrency * 10, Math.ceil(rps * settings.durationSeconds)),
  );
  // Margin: a connection that times out reconnects and sends a new request; the racing pairs come last.
  const margin = concurrency * 2 + RACE_PAIRS;
  context.log(`  minting ${warmupAmount + measuredAmount + margin} ID-JAGs through the IdP's token exchange`);
  const pool = await mintIdJagPool(context, warmupAmount + measuredAmount + margin);

  const redeemed: string[] = [];
  let exhausted = false;
  const endpoint = new URL(inputs.endpoints.rasTokenEndpoint);
  const request: AutocannonRequest = {
    method: 'POST',
    path: endpoint.pathname,
    headers: tokenRequestHeaders(AGENT_HOST_AT_RAS),
    setupRequest: (template, connection) => {
      // Returning null would stop autocannon with an exception; an unusable assertion shows up as an error instead.
      const assertion = pool.take() ?? 'pool-exhausted';
      if (assertion === 'pool-exhausted') exhausted = true;
      connection.assertion = assertion;
      return { ...template, body: jwtBearerBody({ assertion, resource: stack.urls.resource }) };
    },
    onResponse: (status, _body, connection) => {
      if (status === 200 && typeof connection.assertion === 'string') redeemed.push(connection.assertion);
    },
  };
  const run = (amount: number) =>
    runAutocannon({ url: endpoint.toString(), connections: concurrency, amount, requests: [request] });

  const { load, ...usage } = await measureWindow(
    [stack.ras],
    warmupAmount > 0 ? () => run(warmupAmount) : undefined,
    () => run(measuredAmount),
  );

  const http = createHttpClient({ maxSockets: 16 });
  try {
    const sample = redeemed.length <= REPLAY_SAMPLE ? redeemed : spread(redeemed, REPLAY_SAMPLE);
    const replay = await replayRedeemed(http, endpoint.toString(), stack.urls.resource, sample);
    context.checks.push({
      scenario: 'jwt-bearer',
      name: `replays refused (c=${concurrency})`,
      passed: replay.accepted === 0 && replay.sent > 0,
      detail: `${replay.sent} redeemed ID-JAGs sent again: ${replay.accepted} accepted, statuses ${JSON.stringify(replay.statuses)}`,
    });
    const fresh = Array.from({ length: RACE_PAIRS }, () => pool.take()).filter((token) => token !== undefined);
    const race = await raceRedemptions(http, endpoint.toString(), stack.urls.resource, fresh);
    context.checks.push({
      scenario: 'jwt-bearer',
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
  if (exhausted) notes.push('the ID-JAG pool ran out: the requests after that carried no valid ID-JAG');
  return { scenario: 'jwt-bearer', concurrency, load, ...usage, notes };
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
