/**
 * The store comparison: the token exchange, the jwt-bearer redemption and MCP `tools/call` on SQLite (one process per
 * role, as `pnpm start`), then on PostgreSQL with one and with two instances of each role behind HAProxy, each
 * configuration with its own bound measured before and after its scenarios, so every ratio is to a bound of the
 * same run on the same machine. On PostgreSQL a window's CPU time includes the database server's (its backends
 * too), and a probe records the server's commits, replay-table inserts and lock waits.
 */
import { errorCount } from '../load/load-result.js';
import { measureBound } from '../scenarios/bound.js';
import type { BenchContext } from '../scenarios/context.js';
import { prepareInputs } from '../scenarios/inputs.js';
import { measureJwtBearer } from '../scenarios/jwt-bearer.js';
import type { Check, Measurement } from '../scenarios/records.js';
import { measureTokenExchange } from '../scenarios/token-exchange.js';
import { measureToolsCall } from '../scenarios/tools-call.js';
import type { BenchSettings } from '../settings.js';
import { benchPorts, freeStackPorts } from '../stack/ports.js';
import {
  fixedPostgresPorts,
  freePostgresPorts,
  type PostgresStack,
  startPostgresStack,
} from '../stack/postgres-stack.js';
import { type AppStack, startStack } from '../stack/stack.js';
import { type Contention, startContentionProbe, statisticsPublished } from './contention.js';

/** One way to run the roles: SQLite, one process each; or PostgreSQL with this many instances of each. */
export type StoreConfiguration = { store: 'sqlite' } | { store: 'postgres'; instances: number };

/** The scenarios compared across stores. */
export const STORE_SCENARIOS = ['token-exchange', 'jwt-bearer', 'tools-call'] as const;
type StoreScenario = (typeof STORE_SCENARIOS)[number];

const MEASURE: Record<StoreScenario, (context: BenchContext, concurrency: number) => Promise<Measurement>> = {
  'token-exchange': measureTokenExchange,
  'jwt-bearer': measureJwtBearer,
  'tools-call': measureToolsCall,
};

/** One scenario of one configuration at one concurrency. */
export interface StoreRow {
  configuration: string;
  scenario: StoreScenario;
  concurrency: number;
  requestsPerSecond: number;
  /** Throughput divided by the mean of this configuration's bound windows before and after its scenarios. */
  timesBound: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  /** CPU time of every server process of the role per request, the database server's included. */
  serverCpuMsPerRequest: number | null;
  /** The database server's (with its backends) share of it. */
  databaseCpuMsPerRequest: number | null;
  contention: Contention | null;
  notes: string[];
}

/** The comparison's result. */
export interface StoreReport {
  rows: StoreRow[];
  bounds: { configuration: string; concurrency: number; before: number; after: number }[];
  checks: Check[];
  passed: boolean;
}

/** Names a configuration in the report. */
export function configurationName(configuration: StoreConfiguration): string {
  return configuration.store === 'sqlite'
    ? 'SQLite, 1 instance'
    : `PostgreSQL, ${configuration.instances} instance${configuration.instances === 1 ? '' : 's'}`;
}

/** Runs every configuration in turn (each stack stopped before the next starts). */
export async function runStoreComparison(
  settings: BenchSettings,
  configurations: readonly StoreConfiguration[],
  log: (message: string) => void,
): Promise<StoreReport> {
  const report: StoreReport = { rows: [], bounds: [], checks: [], passed: true };
  for (const configuration of configurations) {
    const name = configurationName(configuration);
    log(`${name}: starting`);
    const launch = { mode: settings.launch };
    let stack: AppStack | PostgresStack;
    if (configuration.store === 'sqlite') {
      // The benchmark's own SQLite stack, as `pnpm bench` starts it (its peers start too and stay idle).
      stack = await startStack(settings.fixedPorts ? benchPorts(process.env) : await freeStackPorts(), launch);
    } else {
      const ports = settings.fixedPorts
        ? fixedPostgresPorts(benchPorts(process.env), configuration.instances)
        : await freePostgresPorts(configuration.instances);
      stack = await startPostgresStack(ports, launch);
    }
    try {
      const context: BenchContext = {
        settings,
        stack,
        inputs: await prepareInputs(stack),
        checks: report.checks,
        measurements: [],
        log,
      };
      // The sign-ins and redemptions that prepared the inputs belong to no window: let their statistics land first.
      if ('databaseUrls' in stack) await statisticsPublished();
      for (const concurrency of settings.concurrencies) {
        log(`${name}: bound at concurrency ${concurrency}`);
        const before = await measureBound(context, concurrency);
        context.measurements.push(before);
        const measured: { scenario: StoreScenario; measurement: Measurement; contention: Contention | null }[] = [];
        for (const scenario of STORE_SCENARIOS) {
          log(`${name}: ${scenario} at concurrency ${concurrency}`);
          const probe = 'databaseUrls' in stack ? await contentionProbe(stack) : undefined;
          const measurement = await MEASURE[scenario](context, concurrency);
          const contention = probe === undefined ? null : await probe.stop();
          context.measurements.push(measurement);
          measured.push({ scenario, measurement, contention });
          log(`  ${measurement.load.requestsPerSecond} req/s, ${errorCount(measurement.load)} errors`);
        }
        const after = await measureBound(context, concurrency);
        const boundRps = (before.load.requestsPerSecond + after.load.requestsPerSecond) / 2;
        report.bounds.push({
          configuration: name,
          concurrency,
          before: before.load.requestsPerSecond,
          after: after.load.requestsPerSecond,
        });
        for (const { scenario, measurement, contention } of measured) {
          report.rows.push(row(name, scenario, measurement, boundRps, contention));
        }
      }
    } finally {
      const outcome = await stack.stop();
      if (outcome.reason === 'exited') {
        report.passed = false;
        log(`${name}: ${outcome.process} exited on its own during the run; its figures are not valid`);
      }
    }
  }
  report.passed &&= report.checks.every((check) => check.passed) && report.rows.every((r) => r.errors === 0);
  return report;
}

function contentionProbe(stack: PostgresStack) {
  const admin = stack.databaseUrls.idp.replace(/\/idp$/, '/postgres');
  return startContentionProbe(admin, [stack.databaseUrls.idp, stack.databaseUrls.ras, stack.databaseUrls.mcp]);
}

function row(
  configuration: string,
  scenario: StoreScenario,
  measurement: Measurement,
  boundRps: number,
  contention: Contention | null,
): StoreRow {
  const { load } = measurement;
  const perRequest = (ms: number | undefined) =>
    ms === undefined || load.requests === 0 ? null : Math.round((ms / load.requests) * 1000) / 1000;
  const cpu = Object.values(measurement.cpuMs);
  return {
    configuration,
    scenario,
    concurrency: measurement.concurrency,
    requestsPerSecond: load.requestsPerSecond,
    timesBound: boundRps === 0 ? 0 : Math.round((load.requestsPerSecond / boundRps) * 1000) / 1000,
    p50Ms: load.latencyMs.p50,
    p99Ms: load.latencyMs.p99,
    errors: errorCount(load),
    serverCpuMsPerRequest: cpu.length === 0 ? null : perRequest(cpu.reduce((sum, ms) => sum + ms, 0)),
    databaseCpuMsPerRequest: perRequest(measurement.cpuMs.postgres),
    contention,
    notes: measurement.notes,
  };
}
