/**
 * `pnpm bench:check`: a short run of the benchmark (about a minute and a half once built) whose ratios are compared
 * with the committed `results/latest.json`; exits non-zero when one fell more than 15 % (see `compare-ratios.ts`),
 * when a request failed or a check did not hold. For contributors before a change that touches a hot path; not part
 * of CI, whose machines are shared and noisy. Extra arguments go to the benchmark (`-- --no-build`).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPOSITORY_ROOT } from '@ema/stack';
import { runBenchmark } from '../benchmark.js';
import type { BenchReport } from '../report/report.js';
import { parseSettings } from '../settings.js';
import { ALLOWED_DROP, compareRatios } from './compare-ratios.js';

const SHORT_RUN = [
  '--duration',
  '3',
  '--warmup',
  '1',
  '--concurrency',
  '16',
  '--scenarios',
  'bound,verify-floor,token-exchange,jwt-bearer,tools-call,whole-flow',
];

const committedFile = join(REPOSITORY_ROOT, 'benchmarks', 'results', 'latest.json');
const committed = JSON.parse(readFileSync(committedFile, 'utf8')) as BenchReport;
const settings = { ...parseSettings([...SHORT_RUN, ...process.argv.slice(2)]), outDir: undefined };
const report = await runBenchmark(settings, (message) => console.error(message));
const comparisons = compareRatios(committed, report);

const percent = (value: number | null) =>
  value === null ? '?' : `${value >= 0 ? '+' : ''}${(value * 100).toFixed(0)} %`;
console.log(`\nCPU × floor at concurrency 16, against ${committedFile} (${committed.generatedAt}):\n`);
for (const c of comparisons) {
  console.log(
    `${c.passed ? 'ok  ' : 'FAIL'} ${c.scenario}: ${c.measured ?? '?'} (committed ${c.committed}, ${percent(c.change)})`,
  );
}
const failed = comparisons.filter((c) => !c.passed);
if (!report.passed) console.log('\nFAIL: the run had errors or a failed check (see above).');
if (comparisons.length === 0)
  console.log('\nFAIL: no scenario of the short run has a committed ratio to compare with.');
if (failed.length > 0) console.log(`\nFAIL: ${failed.length} ratio(s) more than ${ALLOWED_DROP * 100} % below.`);
process.exitCode = report.passed && comparisons.length > 0 && failed.length === 0 ? 0 : 1;
