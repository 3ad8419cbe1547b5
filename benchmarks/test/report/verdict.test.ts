import { describe, expect, it } from 'vitest';
import type { LoadResult } from '../../src/load/load-result.js';
import { renderMarkdown } from '../../src/report/markdown.js';
import { buildReport } from '../../src/report/report.js';
import type { Measurement } from '../../src/scenarios/records.js';
import type { BenchSettings } from '../../src/settings.js';

function window(scenario: Measurement['scenario'], socketErrors: number): Measurement {
  const load: LoadResult = {
    requests: 1000,
    durationSeconds: 1,
    requestsPerSecond: 1000,
    latencyMs: { p50: 1, p90: 2, p99: 3, max: 4 },
    non2xx: 0,
    socketErrors,
    rejectedBodies: 0,
    statusCodes: { 200: 1000 - socketErrors },
    loadGeneratorCpuMs: 10,
  };
  return { scenario, concurrency: 256, load, peakRssBytes: {}, cpuMs: {}, mainThreadCpuMs: {}, notes: [] };
}

function verdictOf(measurements: Measurement[]) {
  const report = buildReport({
    machine: { cores: 2, cpuModel: 'test', memoryGiB: 1, os: 'test', node: 'v20', loadAverageAtStart: 0 },
    settings: { mode: 'smoke' } as BenchSettings,
    printableSettings: {},
    measurements,
    checks: [],
  });
  return { passed: report.passed, firstLine: renderMarkdown(report).split('\n')[2] };
}

describe('the run verdict', () => {
  it("fails on errors at this project's servers", () => {
    expect(verdictOf([window('tools-call', 3), window('peer-mcp', 0)])).toMatchObject({ passed: false });
  });

  it("reports a peer's errors without failing the run", () => {
    const { passed, firstLine } = verdictOf([window('tools-call', 0), window('peer-mcp', 31)]);
    expect(passed).toBe(true);
    expect(firstLine).toContain('a peer had errors');
  });
});
