import type { BenchReport, ReportRow } from '../report/report.js';

/** How far below the committed figure a ratio may fall before the check fails (issue 19: 15 %). */
export const ALLOWED_DROP = 0.15;

/** One ratio of the short run next to the committed run's. */
export interface RatioComparison {
  scenario: ReportRow['scenario'];
  concurrency: number;
  /** `CPU × floor`: the ratio a busy machine disturbs least. */
  committed: number;
  measured: number | null;
  /** `measured / committed - 1`. */
  change: number | null;
  passed: boolean;
}

/**
 * Compares each scenario's `CPU × floor` in `measured` with the same scenario and concurrency in `committed`: a ratio
 * more than {@link ALLOWED_DROP} below the committed one fails, and so does a scenario the short run did not measure.
 * Floors (always 1.0) and rows without a committed ratio are skipped.
 */
export function compareRatios(committed: BenchReport, measured: BenchReport): RatioComparison[] {
  return measured.rows
    .filter((row) => row.scenario !== row.floor)
    .flatMap((row): RatioComparison[] => {
      const before = committed.rows.find((r) => r.scenario === row.scenario && r.concurrency === row.concurrency);
      if (before?.cpuRatioToFloor == null) return [];
      const now = row.cpuRatioToFloor;
      const change = now === null ? null : now / before.cpuRatioToFloor - 1;
      return [
        {
          scenario: row.scenario,
          concurrency: row.concurrency,
          committed: before.cpuRatioToFloor,
          measured: now,
          change,
          passed: change !== null && change >= -ALLOWED_DROP,
        },
      ];
    });
}
