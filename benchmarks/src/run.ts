/**
 * The benchmark command: `pnpm --filter @ema/benchmarks bench [-- options]` (see `--help` and the README).
 * Prints the machine, the settings and the results table; writes `results/latest.md` and `results/latest.json`;
 * exits non-zero when any window had errors, a single-use check failed, or a server exited on its own.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runBenchmark } from './benchmark.js';
import { renderMarkdown } from './report/markdown.js';
import { renderScalingChart } from './report/scaling-chart.js';
import { parseSettings } from './settings.js';

const settings = parseSettings(process.argv.slice(2));
const report = await runBenchmark(settings, (message) => console.error(message));
const markdown = renderMarkdown(report);
console.log(`\n${markdown}`);
if (settings.outDir !== undefined) {
  mkdirSync(settings.outDir, { recursive: true });
  writeFileSync(join(settings.outDir, 'latest.md'), `${markdown}\n`);
  writeFileSync(join(settings.outDir, 'latest.json'), `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(join(settings.outDir, 'scaling.svg'), renderScalingChart(report));
  console.error(`written: ${join(settings.outDir, 'latest.md')}, latest.json and scaling.svg`);
}
process.exitCode = report.passed ? 0 : 1;
