import { describe, expect, it } from 'vitest';
import { runStoreComparison, STORE_SCENARIOS } from '../src/postgres/postgres-benchmark.js';
import { parseSettings } from '../src/settings.js';

// The smoke version of the store comparison: the exchange, the redemption and tool calls through HAProxy to two
// instances of each role on a real PostgreSQL server, 150 requests per window. Correctness only, never speed: no
// errors, single use held across the instances, and the database did the work (its commits and its CPU time counted).
describe('store comparison smoke run', () => {
  it('[BENCH-POSTGRES-SMOKE] drives two instances of each role on PostgreSQL with zero errors, single use held, the database counted', async () => {
    const log: string[] = [];
    const settings = { ...parseSettings(['--smoke']), concurrencies: [16] };
    const report = await runStoreComparison(settings, [{ store: 'postgres', instances: 2 }], (message) =>
      log.push(message),
    );
    expect(report.rows.map((row) => row.scenario)).toEqual([...STORE_SCENARIOS]);
    for (const row of report.rows) {
      expect(row, log.join('\n')).toMatchObject({ errors: 0 });
      expect(row.contention?.commitsPerSecond).toBeGreaterThan(0);
      expect(row.databaseCpuMsPerRequest).toBeGreaterThan(0);
    }
    const redemption = report.rows.find((row) => row.scenario === 'jwt-bearer');
    expect(redemption?.contention?.replayInsertsPerSecond).toBeGreaterThan(0);
    expect(report.checks.length).toBeGreaterThan(0);
    for (const check of report.checks) expect(check, check.detail).toMatchObject({ passed: true });
    expect(report.passed).toBe(true);
  });
});
