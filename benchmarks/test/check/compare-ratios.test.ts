import { describe, expect, it } from 'vitest';
import { compareRatios } from '../../src/check/compare-ratios.js';
import type { BenchReport, ReportRow } from '../../src/report/report.js';

function row(scenario: ReportRow['scenario'], cpuRatioToFloor: number | null): ReportRow {
  return {
    scenario,
    concurrency: 16,
    floor: scenario === 'tools-call' || scenario === 'verify-floor' ? 'verify-floor' : 'bound',
    cpuRatioToFloor,
  } as ReportRow;
}

const report = (rows: ReportRow[]) => ({ rows }) as BenchReport;

describe('compareRatios', () => {
  it('passes a ratio up to 15 % below the committed one and fails one further below', () => {
    const committed = report([row('bound', 1), row('jwt-bearer', 0.8), row('tools-call', 0.5)]);
    const measured = report([row('bound', 1), row('jwt-bearer', 0.69), row('tools-call', 0.42)]);
    expect(compareRatios(committed, measured).map((c) => [c.scenario, c.passed])).toEqual([
      ['jwt-bearer', true],
      ['tools-call', false],
    ]);
  });

  it('fails a scenario the short run could not measure, and skips one without a committed ratio', () => {
    const committed = report([row('token-exchange', 0.8), row('whole-flow', null)]);
    const measured = report([row('token-exchange', null), row('whole-flow', 0.3)]);
    expect(compareRatios(committed, measured)).toEqual([
      expect.objectContaining({ scenario: 'token-exchange', measured: null, passed: false }),
    ]);
  });
});
