import { describe, expect, it } from 'vitest';
import { runBenchmark } from '../src/benchmark.js';
import { ONCE_SCENARIOS, parseSettings, SCENARIOS } from '../src/settings.js';

// The smoke version of the benchmark (issue 8): the whole harness against the real apps, each in its own process
// started from source, a few hundred requests per scenario. It asserts correctness only, never speed.
describe('benchmark smoke run', () => {
  it('[BENCH-REVOCATION-SMOKE] drives every scenario with zero errors, every redeemed ID-JAG stays single use, and every cut-off lands', async () => {
    const log: string[] = [];
    const report = await runBenchmark(parseSettings(['--smoke']), (message) => log.push(message));

    const windows = report.rows.map((row) => ({
      scenario: row.scenario,
      concurrency: row.concurrency,
      errors: row.errors,
      statusCodes: row.load.statusCodes,
    }));
    const loadScenarios = SCENARIOS.filter((scenario) => !ONCE_SCENARIOS.some((once) => once === scenario));
    expect(new Set(report.rows.map((row) => row.scenario))).toEqual(new Set(loadScenarios));
    for (const window of windows) {
      expect(window, log.join('\n')).toMatchObject({ errors: 0 });
    }
    for (const row of report.rows) expect(row.load.requests).toBeGreaterThanOrEqual(150);

    // Single use at our RAS and at the oidc-provider peer alike.
    const singleUse = report.checks.filter((check) => check.scenario === 'jwt-bearer' || check.scenario === 'peer-ras');
    expect(new Set(singleUse.map((check) => check.scenario))).toEqual(new Set(['jwt-bearer', 'peer-ras']));
    for (const check of singleUse) expect(check).toMatchObject({ passed: true });
    // Time to cut-off, small: a few cut-offs, then the RAS down for a few seconds during the event.
    expect(report.cutoffs.map((series) => series.samplesMs.length)).toEqual([3, 1]);
    const revocation = report.checks.filter((check) => check.scenario === 'revocation');
    expect(revocation).toHaveLength(2);
    for (const check of revocation) expect(check, check.detail).toMatchObject({ passed: true });
    // Memory against idle sessions: both MCP servers, at each count of the smoke run (1 and 10).
    expect(report.sessionMemory.map((reading) => [reading.server, reading.sessions])).toEqual([
      ['mcp', 1],
      ['mcp', 10],
      ['peer-mcp', 1],
      ['peer-mcp', 10],
    ]);
    expect(report.passed).toBe(true);
  });
});
