/**
 * `pnpm --filter @ema/benchmarks bench:postgres [-- options]`: the store comparison (see `postgres-benchmark.ts`
 * and the README). Writes `results/postgres-latest.md` and `.json` (not in `--smoke`); exits non-zero when a window
 * had errors, a single-use check failed or a server exited on its own.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { REPOSITORY_ROOT } from '@ema/stack';
import { currentLoadAverage, describeMachine } from '../report/machine.js';
import type { BenchSettings } from '../settings.js';
import { runStoreComparison, type StoreConfiguration } from './postgres-benchmark.js';
import { renderStoreMarkdown } from './store-markdown.js';

const USAGE = `usage: pnpm --filter @ema/benchmarks bench:postgres [-- options]
  --smoke               150 requests per window, no warm-up, from source on free ports, nothing written
  --duration <s>        measured window (default 10)
  --warmup <s>          unmeasured warm-up before each window (default 3)
  --concurrency <list>  comma-separated (default 16)
  --instances <list>    PostgreSQL configurations, instances of each role (default 1,2)
  --no-sqlite           skip the SQLite reference
  --no-build            use the existing dist/ builds`;

const { values } = parseArgs({
  args: process.argv.slice(2).filter((arg) => arg !== '--'),
  options: {
    smoke: { type: 'boolean', default: false },
    duration: { type: 'string' },
    warmup: { type: 'string' },
    concurrency: { type: 'string' },
    instances: { type: 'string' },
    'no-sqlite': { type: 'boolean', default: false },
    'no-build': { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
  strict: true,
});
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
const numbers = (option: string, value: string | undefined, fallback: readonly number[]): number[] => {
  if (value === undefined) return [...fallback];
  const parsed = value.split(',').map(Number);
  if (parsed.some((n) => !Number.isInteger(n) || n < 1)) throw new Error(`${option}: whole numbers\n${USAGE}`);
  return parsed;
};
const smoke = values.smoke === true;
const settings: BenchSettings = {
  mode: smoke ? 'smoke' : 'full',
  durationSeconds: numbers('--duration', values.duration, [10])[0] ?? 10,
  warmupSeconds: values.warmup === undefined ? (smoke ? 0 : 3) : Number(values.warmup),
  requestsPerWindow: smoke ? 150 : undefined,
  concurrencies: numbers('--concurrency', values.concurrency, [16]),
  launch: smoke ? 'source' : 'dist',
  build: !smoke && !values['no-build'],
  cpuProfileDir: undefined,
  nodeArgs: [],
  scenarios: ['bound', 'token-exchange', 'jwt-bearer', 'tools-call'],
  outDir: smoke ? undefined : join(REPOSITORY_ROOT, 'benchmarks', 'results'),
  fixedPorts: !smoke,
  // Neither the time to cut-off nor the memory per idle session is part of the store comparison.
  revocation: { cutoffs: 0, rasDownSeconds: 0 },
  sessionCounts: [],
};
const configurations: StoreConfiguration[] = [
  ...(values['no-sqlite'] ? [] : [{ store: 'sqlite' } as const]),
  ...numbers('--instances', values.instances, [1, 2]).map((instances) => ({ store: 'postgres' as const, instances })),
];

const log = (message: string) => console.error(message);
const machine = describeMachine();
if (settings.build) {
  log('building the apps and the bound (turbo run build)');
  execFileSync(
    'npx',
    ['-y', 'pnpm@12.4.2', 'turbo', 'run', 'build', '--filter=@ema/benchmarks...', '--output-logs=errors-only'],
    {
      cwd: REPOSITORY_ROOT,
      stdio: ['ignore', 'inherit', 'inherit'],
    },
  );
}
const report = await runStoreComparison(settings, configurations, log);
machine.loadAverageAtEnd = currentLoadAverage();
const markdown = renderStoreMarkdown(report, machine, {
  window:
    settings.requestsPerWindow === undefined
      ? `${settings.durationSeconds} s (jwt-bearer: a pool sized from the bound)`
      : `${settings.requestsPerWindow} requests`,
  'warm-up': `${settings.warmupSeconds} s`,
  servers: `${settings.launch === 'dist' ? 'dist/server.js' : 'src/server.ts via tsx'}, NODE_ENV=production, log level warn; PostgreSQL ${'durable (fsync, synchronous_commit on)'}, HAProxy in front of the instances`,
  'database CPU':
    "the postgres server process and its children (one backend per connection), from /proc; in 'server CPU' and on its own",
  contention:
    'pg_stat_database, pg_stat_user_tables (consumed_jtis) and pg_stat_activity / pg_locks sampled every 200 ms, over warm-up and window',
});
console.log(`\n${markdown}`);
if (settings.outDir !== undefined) {
  mkdirSync(settings.outDir, { recursive: true });
  writeFileSync(join(settings.outDir, 'postgres-latest.md'), `${markdown}\n`);
  writeFileSync(join(settings.outDir, 'postgres-latest.json'), `${JSON.stringify({ machine, ...report }, null, 2)}\n`);
  log(`written: ${join(settings.outDir, 'postgres-latest.md')} and postgres-latest.json`);
}
process.exitCode = report.passed ? 0 : 1;
