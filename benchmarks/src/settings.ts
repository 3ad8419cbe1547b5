import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { type LaunchMode, REPOSITORY_ROOT } from '@ema/stack';

/** The scenarios, in the order they run (the floors first at each concurrency). */
export const SCENARIOS = [
  'bound',
  'verify-floor',
  'token-exchange',
  'jwt-bearer',
  'peer-ras',
  'tools-call',
  'peer-mcp',
  'whole-flow',
  'flow-floor',
  'bound-dpop',
  'token-exchange-dpop',
  'jwt-bearer-dpop',
  'tools-call-dpop',
  'sessions-memory',
  'revocation',
] as const;
export type ScenarioId = (typeof SCENARIOS)[number];
/** The scenarios measured once per run rather than as load windows: memory per idle session, time to cut-off. */
export const ONCE_SCENARIOS = ['sessions-memory', 'revocation'] as const;
/** The scenarios measured as load windows. */
export type LoadScenarioId = Exclude<ScenarioId, (typeof ONCE_SCENARIOS)[number]>;

/** The concurrencies of the full run: the scaling curves (issue 19). */
export const FULL_CONCURRENCIES = [1, 4, 16, 64, 256] as const;

/** How the time-to-cut-off scenario runs (`revocation`). */
export interface RevocationSettings {
  /** Cut-offs measured one after the other (the issue asks for at least 50). */
  cutoffs: number;
  /** How long the RAS is stopped in the run where the event happens while it is down (the issue: 30 s). */
  rasDownSeconds: number;
}

/** How one benchmark run is carried out; printed with the results. */
export interface BenchSettings {
  mode: 'full' | 'smoke';
  /** Length of each measured window (full mode). */
  durationSeconds: number;
  /** Unmeasured load before each window, so JIT, caches and connections are warm. */
  warmupSeconds: number;
  /** Smoke mode: a fixed number of requests per window instead of a duration. */
  requestsPerWindow: number | undefined;
  /** Concurrent connections (autocannon, pipelining 1) or workers (whole flow) per window. */
  concurrencies: readonly number[];
  launch: LaunchMode;
  /** Build the apps and the bound (`turbo run build`) before starting them. */
  build: boolean;
  /** Start the servers with `--cpu-prof`, writing profiles into this directory. */
  cpuProfileDir: string | undefined;
  /** More Node flags for every server, after the launcher's heap flags (`APP_HEAP_FLAGS` of `@ema/stack`). */
  nodeArgs: readonly string[];
  scenarios: readonly ScenarioId[];
  /** Where `latest.md` and `latest.json` go; `undefined` writes nothing. */
  outDir: string | undefined;
  /** Use the fixed benchmark ports (4100-4600, moved by `EMA_PORT_OFFSET`) rather than free ones. */
  fixedPorts: boolean;
  revocation: RevocationSettings;
  /** Numbers of idle MCP sessions at which each MCP server's memory is read (`sessions-memory`). */
  sessionCounts: readonly number[];
}

const USAGE = `usage: pnpm --filter @ema/benchmarks bench [-- options]
  --smoke                 a few hundred requests per scenario, no warm-up, results not written
  --duration <s>          measured window per scenario and concurrency (default 10)
  --warmup <s>            unmeasured warm-up before each window (default 3)
  --concurrency <list>    comma-separated (default 1,4,16,64,256)
  --scenarios <list>      comma-separated subset of ${SCENARIOS.join(',')}
  --no-build              use the existing dist/ builds
  --launch <dist|source>  run built dist/server.js (default) or src/server.ts through tsx
  --cpu-prof              write V8 CPU profiles of every server to benchmarks/profiles/<timestamp>/
  --node-args "<flags>"   more Node flags for every server, e.g. "--max-semi-space-size=16" to try V8's default
  --out <dir>             where latest.md / latest.json go (default benchmarks/results)
  --cutoffs <n>           revocation: cut-offs measured (default 50; smoke 3)
  --ras-down <s>          revocation: seconds the RAS is down during the event (default 30; smoke 3)
  --sessions <list>       sessions-memory: idle MCP sessions to open (default 1,100,1000,10000; smoke 1,10)

  EMA_PORT_OFFSET=<n>     moves the fixed ports (4100-4600) by n, as for pnpm start and the browser suite`;

/**
 * `--node-args "--flag"` as one option: parseArgs takes a value that starts with a dash only in the `--name=value`
 * form, and every value of this option does.
 */
function joinNodeArgs(args: readonly string[]): string[] {
  const joined: string[] = [];
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i] as string;
    const value = args[i + 1];
    if (arg === '--node-args' && value !== undefined) {
      joined.push(`--node-args=${value}`);
      i += 1;
    } else joined.push(arg);
  }
  return joined;
}

/** Parses the command line into settings (defaults: the full benchmark of the README). */
export function parseSettings(argv: readonly string[]): BenchSettings {
  const { values } = parseArgs({
    // `pnpm bench -- --smoke` hands the `--` through: drop it.
    args: joinNodeArgs(argv.filter((arg) => arg !== '--')),
    options: {
      smoke: { type: 'boolean', default: false },
      duration: { type: 'string' },
      warmup: { type: 'string' },
      concurrency: { type: 'string' },
      scenarios: { type: 'string' },
      'no-build': { type: 'boolean', default: false },
      launch: { type: 'string' },
      'cpu-prof': { type: 'boolean', default: false },
      'node-args': { type: 'string' },
      out: { type: 'string' },
      cutoffs: { type: 'string' },
      'ras-down': { type: 'string' },
      sessions: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const smoke = values.smoke === true;
  const launch = values.launch ?? (smoke ? 'source' : 'dist');
  if (launch !== 'dist' && launch !== 'source') throw new Error(`--launch: must be dist or source\n${USAGE}`);
  const scenarios = values.scenarios === undefined ? [...SCENARIOS] : list(values.scenarios).map(scenarioId);
  return {
    mode: smoke ? 'smoke' : 'full',
    durationSeconds: number('--duration', values.duration, 10),
    warmupSeconds: number('--warmup', values.warmup, smoke ? 0 : 3),
    requestsPerWindow: smoke ? 150 : undefined,
    concurrencies:
      values.concurrency === undefined
        ? smoke
          ? [1, 16]
          : [...FULL_CONCURRENCIES]
        : list(values.concurrency).map((c) => number('--concurrency', c, 1)),
    launch,
    build: !values['no-build'] && launch === 'dist',
    cpuProfileDir: values['cpu-prof']
      ? join(REPOSITORY_ROOT, 'benchmarks', 'profiles', new Date().toISOString().replaceAll(':', '-'))
      : undefined,
    nodeArgs: (values['node-args'] ?? '').split(' ').filter((flag) => flag !== ''),
    scenarios,
    outDir: values.out ?? (smoke ? undefined : join(REPOSITORY_ROOT, 'benchmarks', 'results')),
    fixedPorts: !smoke,
    revocation: {
      cutoffs: number('--cutoffs', values.cutoffs, smoke ? 3 : 50),
      rasDownSeconds: number('--ras-down', values['ras-down'], smoke ? 3 : 30),
    },
    sessionCounts:
      values.sessions === undefined
        ? smoke
          ? [1, 10]
          : [1, 100, 1000, 10_000]
        : list(values.sessions).map((count) => number('--sessions', count, 1)),
  };
}

function list(value: string): string[] {
  return value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item.length > 0);
}

function number(option: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0) throw new Error(`${option}: must be a non-negative integer\n${USAGE}`);
  return parsed;
}

function scenarioId(value: string): ScenarioId {
  const found = SCENARIOS.find((id) => id === value);
  if (found === undefined) throw new Error(`--scenarios: unknown scenario ${value}\n${USAGE}`);
  return found;
}
