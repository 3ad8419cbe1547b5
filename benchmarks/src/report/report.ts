import { errorCount } from '../load/load-result.js';
import { type FloorId, floorOf, PEER_OF } from '../scenarios/floors.js';
import type { Check, CutoffMeasurement, Measurement } from '../scenarios/records.js';
import type { SessionMemoryReading } from '../scenarios/sessions-memory.js';
import type { BenchSettings, LoadScenarioId, ScenarioId } from '../settings.js';
import type { Machine } from './machine.js';

/** One row of the results table. */
export interface ReportRow extends Omit<Measurement, 'bracket'> {
  /** The floor this row is divided by: the bound (verify + sign) or the verify floor (one verify). */
  floor: FloorId;
  /**
   * The floor's req/s this row is divided by: the mean of its windows right before and right after this one (full
   * runs), else its window at the same concurrency.
   */
  floorRequestsPerSecond: number | null;
  /** This window's throughput divided by `floorRequestsPerSecond` (`null` without a floor figure). */
  ratioToFloor: number | null;
  /** Server CPU time (all threads, summed over the scenario's processes) per request, in milliseconds. */
  cpuMsPerRequest: number | null;
  /**
   * The floor's CPU per request divided by this scenario's: the throughput ratio a machine doing nothing else would
   * show when both are CPU-bound. Much less sensitive to other load on the machine than `ratioToFloor`.
   */
  cpuRatioToFloor: number | null;
  /** The peer this row is compared with (`PEER_OF`), if any. */
  peer: LoadScenarioId | null;
  /** This window's throughput divided by the peer's at the same concurrency. */
  ratioToPeer: number | null;
  /** The peer's CPU per request divided by this scenario's. */
  cpuRatioToPeer: number | null;
  /**
   * Main-thread CPU time per request, in milliseconds (summed over the scenario's processes): the event loop is where
   * a Node server saturates first, since WebCrypto runs on libuv's pool.
   */
  mainThreadCpuMsPerRequest: number | null;
  /** The load generator's CPU time per request, in milliseconds (it runs on the same cores). */
  loadGeneratorCpuMsPerRequest: number | null;
  errors: number;
}

/** The issue's expectation for token exchange and redemption at concurrency 16, evaluated on this run. */
export interface Target {
  scenario: ScenarioId;
  concurrency: number;
  met: boolean;
  detail: string;
}

/** Everything a run produced: written as JSON, rendered as Markdown. */
export interface BenchReport {
  generatedAt: string;
  machine: Machine;
  settings: Record<string, string | number | boolean>;
  rows: ReportRow[];
  /** Time to cut-off (scenario 6), when it ran. */
  cutoffs: CutoffMeasurement[];
  /** Memory of each MCP server against idle sessions, when it ran. */
  sessionMemory: SessionMemoryReading[];
  checks: Check[];
  targets: Target[];
  /**
   * False when any check failed or any window of this project's servers or floors had errors. A peer's errors are
   * reported with its rows but are the peer's behaviour, not a failure of this run.
   */
  passed: boolean;
}

/** Table order: the issue's numbering (the floors are scenario 5, although they run first). */
export const SCENARIO_TITLES: Record<ScenarioId, string> = {
  'token-exchange': '1. token exchange (IdP)',
  'jwt-bearer': '2. jwt-bearer redemption (RAS)',
  'peer-ras': '2p. peer: oidc-provider jwt-bearer redemption',
  'tools-call': '3. MCP tools/call list_tickets',
  'peer-mcp': '3p. peer: MCP SDK README server, tools/call',
  'whole-flow': '4. whole flow: exchange, redemption, call',
  'flow-floor': '4f. flow floor: the same three requests to the bare endpoints',
  bound: '5. bound: ES256 verify + sign, bare Fastify',
  'verify-floor': '5v. verify floor: one ES256 verify, bare Fastify',
  'token-exchange-dpop': '1d. token exchange with a DPoP proof (IdP binds the ID-JAG)',
  'jwt-bearer-dpop': '2d. jwt-bearer redemption of a bound ID-JAG with a DPoP proof',
  'tools-call-dpop': '3d. MCP tools/call with a DPoP-bound token and a proof',
  'bound-dpop': '5d. DPoP bound: the bound plus one DPoP proof verification',
  revocation: '6. time to cut-off: admin disables a user, the MCP server refuses the token',
  'sessions-memory': '7. memory against idle MCP sessions',
};
const ORDER = Object.keys(SCENARIO_TITLES);

const TARGET_CONCURRENCY = 16;

const PEERS: ReadonlySet<ScenarioId> = new Set(Object.values(PEER_OF));

/** A peer's window: measured beside ours for comparison (2p, 3p). */
export function isPeer(scenario: ScenarioId): boolean {
  return PEERS.has(scenario);
}

/** Assembles the report: ratios to the bound, error totals, the issue's targets, the overall verdict. */
export function buildReport(input: {
  machine: Machine;
  settings: BenchSettings;
  printableSettings: Record<string, string | number | boolean>;
  measurements: readonly Measurement[];
  cutoffs?: readonly CutoffMeasurement[];
  sessionMemory?: readonly SessionMemoryReading[];
  checks: readonly Check[];
}): BenchReport {
  const firstOf = (scenario: ScenarioId, concurrency: number) =>
    input.measurements.find((m) => m.scenario === scenario && m.concurrency === concurrency);
  const rows = input.measurements
    .map(({ bracket, ...m }): ReportRow => {
      const floor = floorOf(m.scenario);
      const floors = bracket ? [bracket.before, bracket.after] : [firstOf(floor, m.concurrency)];
      const floorRps = mean(floors.map((window) => window?.load.requestsPerSecond ?? null));
      const cpuOfFloor = mean(floors.map((window) => (window === undefined ? null : perRequest(window, window.cpuMs))));
      const cpu = perRequest(m, m.cpuMs);
      const mainThreadCpu = perRequest(m, m.mainThreadCpuMs);
      const peer = PEER_OF[m.scenario] ?? null;
      const peerWindow = peer === null ? undefined : firstOf(peer, m.concurrency);
      const peerCpu = peerWindow === undefined ? null : perRequest(peerWindow, peerWindow.cpuMs);
      return {
        ...m,
        floor,
        floorRequestsPerSecond: floorRps === null ? null : Math.round(floorRps),
        ratioToFloor: floorRps ? round2(m.load.requestsPerSecond / floorRps) : null,
        cpuMsPerRequest: cpu === null ? null : Math.round(cpu * 1000) / 1000,
        cpuRatioToFloor: cpu && cpuOfFloor ? round2(cpuOfFloor / cpu) : null,
        peer,
        ratioToPeer: peerWindow ? round2(m.load.requestsPerSecond / peerWindow.load.requestsPerSecond) : null,
        cpuRatioToPeer: cpu && peerCpu ? round2(peerCpu / cpu) : null,
        mainThreadCpuMsPerRequest: mainThreadCpu === null ? null : Math.round(mainThreadCpu * 1000) / 1000,
        loadGeneratorCpuMsPerRequest:
          m.load.requests === 0 ? null : Math.round((m.load.loadGeneratorCpuMs / m.load.requests) * 1000) / 1000,
        errors: errorCount(m.load),
      };
    })
    .sort((a, b) => ORDER.indexOf(a.scenario) - ORDER.indexOf(b.scenario) || a.concurrency - b.concurrency);
  for (const row of rows) {
    if (row.scenario !== 'whole-flow') continue;
    const flowFloor = rows.find((other) => other.scenario === 'flow-floor' && other.concurrency === row.concurrency);
    if (flowFloor?.cpuMsPerRequest && row.cpuMsPerRequest) {
      row.notes = [...row.notes, `CPU × flow floor (4f): ${round2(flowFloor.cpuMsPerRequest / row.cpuMsPerRequest)}`];
    }
  }
  // The targets speak of a measured run; a smoke run (cold, few requests) says nothing about them.
  const targets = (input.settings.mode === 'smoke' ? [] : rows).flatMap((row) => targetsOf(row));
  return {
    generatedAt: new Date().toISOString(),
    machine: input.machine,
    settings: input.printableSettings,
    rows,
    cutoffs: [...(input.cutoffs ?? [])],
    sessionMemory: [...(input.sessionMemory ?? [])],
    checks: [...input.checks],
    targets,
    passed:
      input.checks.every((check) => check.passed) && rows.every((row) => row.errors === 0 || isPeer(row.scenario)),
  };
}

/**
 * Issue 19's targets at concurrency 16, by CPU per request (the figure a busy machine disturbs least): exchange and
 * redemption at 0.8 of the bound with p99 under 10 ms, the tool call at 0.8 of the verify floor with p99 under 10 ms,
 * the whole flow at 0.32 of the bound.
 */
function targetsOf(row: ReportRow): Target[] {
  const goal = TARGETS[row.scenario];
  if (goal === undefined || row.concurrency !== TARGET_CONCURRENCY) return [];
  const ratioMet = row.cpuRatioToFloor !== null && row.cpuRatioToFloor >= goal.cpuRatio;
  const p99Met = goal.p99Ms === undefined || row.load.latencyMs.p99 < goal.p99Ms;
  return [
    {
      scenario: row.scenario,
      concurrency: row.concurrency,
      met: ratioMet && p99Met && row.errors === 0,
      detail: `CPU × ${row.floor} ${row.cpuRatioToFloor ?? '?'} (target ≥ ${goal.cpuRatio}; by throughput ${row.ratioToFloor ?? '?'}), ${row.errors} errors (target 0), p99 ${row.load.latencyMs.p99.toFixed(2)} ms${goal.p99Ms === undefined ? '' : ` (target < ${goal.p99Ms})`}`,
    },
  ];
}

const TARGETS: Partial<Record<ScenarioId, { cpuRatio: number; p99Ms?: number }>> = {
  'token-exchange': { cpuRatio: 0.8, p99Ms: 10 },
  'jwt-bearer': { cpuRatio: 0.8, p99Ms: 10 },
  'tools-call': { cpuRatio: 0.8, p99Ms: 10 },
  'whole-flow': { cpuRatio: 0.32 },
};

function perRequest(m: Measurement, msByProcess: Record<string, number>): number | null {
  const values = Object.values(msByProcess);
  if (values.length === 0 || m.load.requests === 0) return null;
  return values.reduce((sum, ms) => sum + ms, 0) / m.load.requests;
}

/** The mean of the values, or `null` when any is missing. */
function mean(values: readonly (number | null)[]): number | null {
  if (values.length === 0 || values.some((value) => value === null)) return null;
  return (values as number[]).reduce((sum, value) => sum + value, 0) / values.length;
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}
