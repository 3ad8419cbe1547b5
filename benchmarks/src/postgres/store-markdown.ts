import type { Machine } from '../report/machine.js';
import type { StoreReport } from './postgres-benchmark.js';

/** The store comparison as Markdown: the machine, one table of throughput and cost, one of contention, the checks. */
export function renderStoreMarkdown(report: StoreReport, machine: Machine, settings: Record<string, string>): string {
  const lines = [
    '# Stores compared: SQLite, and PostgreSQL with one and two instances of each role',
    '',
    `Machine: ${machine.cores} cores, ${machine.cpuModel}, ${machine.memoryGiB} GiB, ${machine.os}, Node ${machine.node}; load average ${machine.loadAverageAtStart} at start, ${machine.loadAverageAtEnd ?? '?'} at end.`,
    '',
    ...Object.entries(settings).map(([name, value]) => `- ${name}: ${value}`),
    '',
    '| configuration | scenario | c | req/s | × bound | p50 ms | p99 ms | errors | server CPU ms/req | of which database |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...report.rows
      .map((row) =>
        [
          row.configuration,
          row.scenario,
          row.concurrency,
          Math.round(row.requestsPerSecond),
          row.timesBound.toFixed(3),
          row.p50Ms.toFixed(2),
          row.p99Ms.toFixed(2),
          row.errors,
          row.serverCpuMsPerRequest?.toFixed(3) ?? '',
          row.databaseCpuMsPerRequest?.toFixed(3) ?? '',
        ].join(' | '),
      )
      .map((cells) => `| ${cells} |`),
    '',
    "Bounds (req/s before and after each configuration's scenarios): " +
      report.bounds
        .map(
          (bound) =>
            `${bound.configuration} c=${bound.concurrency}: ${Math.round(bound.before)} / ${Math.round(bound.after)}`,
        )
        .join('; '),
    '',
    '## Where contention starts (PostgreSQL)',
    '',
    '| configuration | scenario | c | commits/s | replay inserts/s | inserts/s | max lock waits | samples with a lock wait | max ungranted locks |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...report.rows.flatMap((row) =>
      row.contention === null
        ? []
        : [
            `| ${row.configuration} | ${row.scenario} | ${row.concurrency} | ${row.contention.commitsPerSecond} | ${row.contention.replayInsertsPerSecond} | ${row.contention.insertsPerSecond} | ${row.contention.maxLockWaits} | ${(row.contention.lockWaitShare * 100).toFixed(1)} % of ${row.contention.samples} | ${row.contention.maxUngrantedLocks} |`,
          ],
    ),
    '',
    '## Checks',
    '',
    ...report.checks.map(
      (check) => `- ${check.passed ? 'passed' : 'FAILED'}: ${check.scenario} ${check.name}: ${check.detail}`,
    ),
    '',
    report.passed ? 'Every window without errors and every check passed.' : 'FAILED: see the errors and checks above.',
  ];
  return lines.join('\n');
}
