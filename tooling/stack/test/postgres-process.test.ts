import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { launchProcess } from '../src/launch-process.js';
import { freePorts } from '../src/ports.js';
import { initPostgresCluster, postgresAccount, postgresBinaries } from '../src/postgres-cluster.js';
import { postgresProcess, postgresUrl } from '../src/postgres-process.js';

const root = mkdtempSync(join(tmpdir(), 'ema-stack-pg-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('postgresProcess', () => {
  it('runs a real server as an unprivileged account, ready once the databases exist, and stops fast', async () => {
    const binaries = postgresBinaries(process.env);
    const runAs = postgresAccount();
    const dataDir = join(root, 'postgres');
    initPostgresCluster(dataDir, binaries, runAs);
    const [port = 0] = await freePorts(1);
    const spec = postgresProcess({ dataDir, port, binaries, runAs, databases: ['idp', 'ras'] });
    const server = await launchProcess(spec, { healthTimeoutMs: 30_000 });
    try {
      const client = new pg.Client({ connectionString: postgresUrl(port, 'ras') });
      await client.connect();
      const { rows } = await client.query<{ directory: string }>(
        "SELECT current_setting('data_directory') AS directory",
      );
      await client.end();
      expect(rows[0]?.directory).toBe(dataDir);
      // PostgreSQL refuses root: as root, the server runs as the account.
      const uid = /^Uid:\s+(\d+)/m.exec(readFileSync(`/proc/${server.pid}/status`, 'utf8'))?.[1];
      expect(Number(uid)).toBe(runAs?.uid ?? process.getuid?.());
    } finally {
      const exit = await server.stop();
      expect(exit.killed).toBe(false);
    }
    // A second start over the same cluster keeps it (no initdb) and finds the databases there.
    initPostgresCluster(dataDir, binaries, runAs);
    const again = await launchProcess(spec, { healthTimeoutMs: 30_000 });
    await again.stop();
  }, 60_000);

  it('refuses a database name that is not a plain identifier', () => {
    expect(() =>
      postgresProcess({ dataDir: root, port: 1, binaries: root, runAs: undefined, databases: ['idp; DROP'] }),
    ).toThrow(RangeError);
  });
});
