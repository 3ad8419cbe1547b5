import { errorCount } from '../load/load-result.js';
import type { Check, CutoffMeasurement, Measurement } from '../scenarios/records.js';
import type { BenchSettings, ScenarioId } from '../settings.js';
import type { Machine } from './machine.js';

/** One row of the results table. */
export interface ReportRow extends Omit<Measurement, 'bracket'> {
  /**
   * The bound's req/s this row is divided by: the mean of the bound's windows right before and right after this one
   * (full runs), else the bound's window at the same concurrency.
   */
  boundRequestsPerSecond: number | null;
  /** This window's throughput divided by `boundRequestsPerSecond` (`null` without a bound figure). */
  ratioToBound: number | null;
  /** Server CPU time (all threads, summed over the scenario's processes) per request, in milliseconds. */
  cpuMsPerRequest: number | null;
  /**
   * The bound's CPU per request divided by this scenario's: the throughput ratio a machine doing nothing else would
   * show when both are CPU-bound. Much less sensitive to other load on the machine than `ratioToBound`.
   */
  cpuRatioToBound: number | null;
  /**
   * Main-thread CPU time per request, in milliseconds (summed over the scenario's processes): the event loop is where
   * a Node server saturates first, since WebCrypto runs on libuv's pool.
   */
  mainThreadCpuMsPerRequest: number | null;
  /** The load generator's CPU time per request, in milliseconds (it runs on the same cores). */
  loadGeneratorCpuMsPerRequest: number | null;
  errors: number;
}

/** The expectation for token exchange and redemption at concurrency 16, evaluated on this run. */
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
  checks: Check[];
  targets: Target[];
  /** False when any check failed or any window had errors. */
  passed: boolean;
}

/** Table order: the numbering (the bound is scenario 5, although it runs first). */
export const SCENARIO_TITLES: Record<ScenarioId, string> = {
  'token-exchange': '1. token exchange (IdP)',
  'jwt-bearer': '2. jwt-bearer redemption (RAS)',
  'tools-call': '3. MCP tools/call list_tickets',
  'whole-flow': '4. whole flow: exchange, redemption, call',
  bound: '5. bound: ES256 verify + sign, bare Fastify',
  'token-exchange-dpop': '1d. token exchange with a DPoP proof (IdP binds the ID-JAG)',
  'jwt-bearer-dpop': '2d. jwt-bearer redemption of a bound ID-JAG with a DPoP proof',
  'tools-call-dpop': '3d. MCP tools/call with a DPoP-bound token and a proof',
  'bound-dpop': '5d. DPoP bound: the bound plus one DPoP proof verification',
  revocation: '6. time to cut-off: admin disables a user, the MCP server refuses the token',
};
const ORDER = Object.keys(SCENARIO_TITLES);

const TARGET_RATIO = 0.8;
const TARGET_P99_MS = 10;
const TARGET_CONCURRENCY = 16;

/** Assembles the report: ratios to the bound, error totals, the targets, the overall verdict. */
export function buildReport(input: {
  machine: Machine;
  settings: BenchSettings;
  printableSettings: Record<string, string | number | boolean>;
  measurements: readonly Measurement[];
  cutoffs?: readonly CutoffMeasurement[];
  checks: readonly Check[];
}): BenchReport {
  // Each DPoP variant is divided by the DPoP bound, every other scenario by the bound.
  const boundOf = (scenario: ScenarioId) => (scenario.endsWith('-dpop') ? 'bound-dpop' : 'bound');
  const firstBound = new Map(
    input.measurements
      .filter((m) => m.scenario === 'bound' || m.scenario === 'bound-dpop')
      .map((m) => [`${m.scenario} ${m.concurrency}`, m] as const),
  );
  const rows = input.measurements
    .map(({ bracket, ...m }): ReportRow => {
      const bounds = bracket
        ? [bracket.before, bracket.after]
        : [firstBound.get(`${boundOf(m.scenario)} ${m.concurrency}`)];
      const boundRps = mean(bounds.map((bound) => bound?.load.requestsPerSecond ?? null));
      const cpuOfBound = mean(bounds.map((bound) => (bound === undefined ? null : perRequest(bound, bound.cpuMs))));
      const cpu = perRequest(m, m.cpuMs);
      const mainThreadCpu = perRequest(m, m.mainThreadCpuMs);
      return {
        ...m,
        boundRequestsPerSecond: boundRps === null ? null : Math.round(boundRps),
        ratioToBound: boundRps ? round2(m.load.requestsPerSecond / boundRps) : null,
        cpuMsPerRequest: cpu === null ? null : Math.round(cpu * 1000) / 1000,
        cpuRatioToBound: cpu && cpuOfBound ? round2(cpuOfBound / cpu) : null,
        mainThreadCpuMsPerRequest: mainThreadCpu === null ? null : Math.round(mainThreadCpu * 1000) / 1000,
        loadGeneratorCpuMsPerRequest:
          m.load.requests === 0 ? null : Math.round((m.load.loadGeneratorCpuMs / m.load.requests) * 1000) / 1000,
        errors: errorCount(m.load),
      };
    })
    .sort((a, b) => ORDER.indexOf(a.scenario) - ORDER.indexOf(b.scenario) || a.concurrency - b.concurrency);
  // The targets speak of a measured run; a smoke run (cold, few requests) says nothing about them.
  const targets = (input.settings.mode === 'smoke' ? [] : rows)
    .filter(
      (row) =>
        (row.scenario === 'token-exchange' || row.scenario === 'jwt-bearer') && row.concurrency === TARGET_CONCURRENCY,
    )
    .map((row): Target => {
      const ratioMet = row.ratioToBound !== null && row.ratioToBound >= TARGET_RATIO;
      const met = ratioMet && row.errors === 0 && row.load.latencyMs.p99 < TARGET_P99_MS;
      return {
        scenario: row.scenario,
        concurrency: row.concurrency,
        met,
        detail: `${row.ratioToBound ?? '?'} × bound (target ≥ ${TARGET_RATIO}; by CPU per request ${row.cpuRatioToBound ?? '?'}), ${row.errors} errors (target 0), p99 ${row.load.latencyMs.p99.toFixed(2)} ms (target < ${TARGET_P99_MS})`,
      };
    });
  return {
    generatedAt: new Date().toISOString(),
    machine: input.machine,
    settings: input.printableSettings,
    rows,
    cutoffs: [...(input.cutoffs ?? [])],
    checks: [...input.checks],
    targets,
    passed: input.checks.every((check) => check.passed) && rows.every((row) => row.errors === 0),
  };
}

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
