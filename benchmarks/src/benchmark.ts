import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { APP_HEAP_FLAGS, describeExit, REPOSITORY_ROOT, type StackOutcome } from '@ema/stack';
import { currentLoadAverage, describeMachine } from './report/machine.js';
import { type BenchReport, buildReport } from './report/report.js';
import { measureBound } from './scenarios/bound.js';
import type { BenchContext } from './scenarios/context.js';
import {
  measureBoundDpop,
  measureJwtBearerDpop,
  measureTokenExchangeDpop,
  measureToolsCallDpop,
} from './scenarios/dpop-variants.js';
import { FLOORS, type FloorId, floorOf, isFloor } from './scenarios/floors.js';
import { prepareInputs } from './scenarios/inputs.js';
import { measureJwtBearer, measurePeerJwtBearer } from './scenarios/jwt-bearer.js';
import type { Check, CutoffMeasurement, Measurement } from './scenarios/records.js';
import { measureRevocation } from './scenarios/revocation.js';
import { measureSessionsMemory, type SessionMemoryReading } from './scenarios/sessions-memory.js';
import { measureTokenExchange } from './scenarios/token-exchange.js';
import { measurePeerToolsCall, measureToolsCall } from './scenarios/tools-call.js';
import { measureVerifyFloor } from './scenarios/verify-floor.js';
import { measureFlowFloor, measureWholeFlow } from './scenarios/whole-flow.js';
import { type BenchSettings, type LoadScenarioId, ONCE_SCENARIOS, type ScenarioId } from './settings.js';
import { benchPorts, freeStackPorts } from './stack/ports.js';
import { type Stack, startStack } from './stack/stack.js';

/** Beyond this change of the bound across a window, the window's ratio is flagged as unreliable. */
const STEADY_DRIFT = 0.1;

const MEASURE: Record<LoadScenarioId, (context: BenchContext<Stack>, concurrency: number) => Promise<Measurement>> = {
  bound: measureBound,
  'verify-floor': measureVerifyFloor,
  'token-exchange': measureTokenExchange,
  'jwt-bearer': measureJwtBearer,
  'peer-ras': measurePeerJwtBearer,
  'tools-call': measureToolsCall,
  'peer-mcp': measurePeerToolsCall,
  'whole-flow': measureWholeFlow,
  'flow-floor': measureFlowFloor,
  'bound-dpop': measureBoundDpop,
  'token-exchange-dpop': measureTokenExchangeDpop,
  'jwt-bearer-dpop': measureJwtBearerDpop,
  'tools-call-dpop': measureToolsCallDpop,
};

/**
 * Runs the benchmark: builds (when asked), starts the stack, prepares the inputs, measures every scenario at every
 * concurrency (the bound first: the redemption pool is sized from it), stops the stack, and returns the report.
 */
export async function runBenchmark(settings: BenchSettings, log: (message: string) => void): Promise<BenchReport> {
  const machine = describeMachine();
  if (settings.build) {
    log('building the apps and the bound (turbo run build)');
    // Through the repository's own pnpm (turbo needs a package manager binary on PATH); `...`: with dependencies.
    execFileSync(
      'npx',
      ['-y', packageManager(), 'turbo', 'run', 'build', '--filter=@ema/benchmarks...', '--output-logs=errors-only'],
      {
        cwd: REPOSITORY_ROOT,
        stdio: ['ignore', 'inherit', 'inherit'],
      },
    );
  }
  if (settings.cpuProfileDir !== undefined) mkdirSync(settings.cpuProfileDir, { recursive: true });
  const ports = settings.fixedPorts ? benchPorts(process.env) : await freeStackPorts();
  log(`starting the stack (${settings.launch}) on ports ${JSON.stringify(ports)}`);
  const stack = await startStack(ports, {
    mode: settings.launch,
    extraNodeArgs: [
      ...(settings.cpuProfileDir === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${settings.cpuProfileDir}`]),
      ...settings.nodeArgs,
    ],
  });
  const measurements: Measurement[] = [];
  const cutoffs: CutoffMeasurement[] = [];
  const checks: Check[] = [];
  const sessionMemory: SessionMemoryReading[] = [];
  let stopped: StackOutcome;
  try {
    log('preparing inputs: sign-in, one exchange and redemption');
    const inputs = await prepareInputs(stack);
    const context: BenchContext<Stack> = { settings, stack, inputs, checks, measurements, log };
    const load = settings.scenarios.filter((id): id is LoadScenarioId => !isOnce(id));
    const floors = FLOORS.filter((floor) => load.includes(floor));
    const order = [...floors, ...load.filter((id) => !isFloor(id))];
    // Concurrency outermost. In a full run every other scenario's window is bracketed by two windows of its floor at
    // the same concurrency, and its ratios divide by their mean: a shared machine whose speed drifts over minutes
    // then moves both sides of a ratio alike.
    for (const concurrency of settings.concurrencies) {
      const latest = new Map<FloorId, Measurement>();
      for (const scenario of order) {
        log(`${scenario} at concurrency ${concurrency}`);
        const measurement = await MEASURE[scenario](context, concurrency);
        measurements.push(measurement);
        logLoad(log, measurement);
        if (isFloor(scenario)) {
          latest.set(scenario, measurement);
          continue;
        }
        const floor = floorOf(scenario);
        const before = latest.get(floor);
        if (settings.mode === 'full' && before !== undefined) {
          log(`${floor} at concurrency ${concurrency} (after ${scenario})`);
          const after = await MEASURE[floor](context, concurrency);
          logLoad(log, after);
          measurement.bracket = { before, after };
          measurement.notes.push(steadiness(floor, before, after));
          latest.set(floor, after);
        }
      }
    }
    // Time to cut-off is not a load window: it runs once, last (it restarts the RAS).
    if (settings.scenarios.includes('revocation')) {
      log(
        `revocation: ${settings.revocation.cutoffs} cut-offs, then the RAS down ${settings.revocation.rasDownSeconds} s`,
      );
      cutoffs.push(...(await measureRevocation(context)));
    }
    // Last: the sessions it opens stay open to the end.
    if (settings.scenarios.includes('sessions-memory')) {
      log(`sessions-memory: ${settings.sessionCounts.join(', ')} idle MCP sessions`);
      sessionMemory.push(...(await measureSessionsMemory(context)));
    }
  } finally {
    stopped = await stack.stop();
  }
  if (stopped.reason === 'exited') {
    throw new Error(
      `${stopped.process} exited on its own during the run (${describeExit(stopped.exit)}); its figures are not valid`,
    );
  }
  if (settings.cpuProfileDir !== undefined) log(`CPU profiles written to ${settings.cpuProfileDir}`);
  machine.loadAverageAtEnd = currentLoadAverage();
  return buildReport({
    machine,
    settings,
    printableSettings: printable(settings),
    measurements,
    cutoffs,
    sessionMemory,
    checks,
  });
}

/** The root package.json's `packageManager` (e.g. `pnpm@12.4.2`). */
function packageManager(): string {
  const root = JSON.parse(readFileSync(join(REPOSITORY_ROOT, 'package.json'), 'utf8')) as { packageManager?: unknown };
  return typeof root.packageManager === 'string' ? root.packageManager : 'pnpm';
}

function logLoad(log: (message: string) => void, { load }: Measurement): void {
  log(
    `  ${load.requestsPerSecond} req/s, p50 ${load.latencyMs.p50} ms, p99 ${load.latencyMs.p99} ms, ${load.requests} requests, statuses ${JSON.stringify(load.statusCodes)}, ${load.socketErrors} socket errors`,
  );
}

function isOnce(id: ScenarioId): boolean {
  return ONCE_SCENARIOS.some((once) => once === id);
}

/** How much the floor moved across a scenario's window; over 10 % the machine was not steady. */
function steadiness(floor: FloorId, before: Measurement, after: Measurement): string {
  const drift = (after.load.requestsPerSecond - before.load.requestsPerSecond) / before.load.requestsPerSecond;
  const percent = `${drift >= 0 ? '+' : ''}${(drift * 100).toFixed(1)} %`;
  const figures = `${floor} before and after: ${Math.round(before.load.requestsPerSecond)} and ${Math.round(after.load.requestsPerSecond)} req/s (${percent})`;
  return Math.abs(drift) > STEADY_DRIFT
    ? `${figures}: the machine was NOT steady, the ratio is unreliable`
    : `${figures}: steady`;
}

function printable(settings: BenchSettings): Record<string, string | number | boolean> {
  const require = createRequire(import.meta.url);
  const autocannon = require('autocannon/package.json') as { version: string };
  return {
    mode: settings.mode,
    window:
      settings.requestsPerWindow === undefined
        ? `${settings.durationSeconds} s per scenario and concurrency (jwt-bearer: a fixed count sized to last about that long at the bound's rate)`
        : `${settings.requestsPerWindow} requests per scenario and concurrency`,
    'warm-up': `${settings.warmupSeconds} s before each window`,
    concurrency: `${settings.concurrencies.join(', ')} (connections, pipelining 1; workers for the whole flow)`,
    servers: `${settings.launch === 'dist' ? 'dist/server.js' : 'src/server.ts via tsx'}, NODE_ENV=production, log level warn, each in its own process on loopback`,
    'load generator': `autocannon ${autocannon.version} (whole flow: keep-alive node:http workers), in the harness process on the same machine`,
    ratios:
      settings.mode === 'full'
        ? "each scenario's window divided by the mean of its floor's windows right before and right after it, at the same concurrency; × peer: divided by the peer's window at the same concurrency"
        : "divided by its floor's window at the same concurrency",
    peers:
      'the MCP SDK README server (Express, StreamableHTTPServerTransport with sessions, requireBearerAuth with jose) and oidc-provider with a registered jwt-bearer grant, each in its own process',
    'cpu profiling': settings.cpuProfileDir === undefined ? 'off' : 'on (figures are slower than without it)',
    'node flags': `${[...APP_HEAP_FLAGS, ...settings.nodeArgs].join(' ')} for every server, floors and peers included`,
  };
}
