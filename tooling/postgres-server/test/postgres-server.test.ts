import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { findPostgresBinaries, PostgresServerError, startPostgresServer } from '../src/index.js';
import { createTestDatabase } from '../src/test-database.js';

describe('startPostgresServer', () => {
  it('starts a real server on a loopback port, creates databases, and removes its data at stop', async () => {
    const server = await startPostgresServer();
    try {
      const url = await server.createDatabase('made_here');
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      const { rows } = await client.query<{ db: string; sc: string }>(
        "SELECT current_database() AS db, current_setting('synchronous_commit') AS sc",
      );
      await client.end();
      expect(rows).toEqual([{ db: 'made_here', sc: 'on' }]);
      expect(server.port).toBeGreaterThan(0);
    } finally {
      await server.stop();
    }
    const { existsSync } = await import('node:fs');
    expect(existsSync(server.dataDir)).toBe(false);
  });

  it('fails loudly, never skips, when the binaries are missing', () => {
    const empty = mkdtempSync(join(tmpdir(), 'no-postgres-'));
    writeFileSync(join(empty, 'initdb'), '');
    expect(() => findPostgresBinaries({ EMA_POSTGRES_BIN: empty })).toThrow(PostgresServerError);
    try {
      findPostgresBinaries({ EMA_POSTGRES_BIN: empty });
    } catch (error) {
      expect(error).toMatchObject({ code: 'POSTGRES_BINARIES_MISSING' });
    }
  });
});

describe('createTestDatabase', () => {
  it('gives each caller its own empty database on the run server', async () => {
    const [a, b] = await Promise.all([createTestDatabase(), createTestDatabase()]);
    expect(a).not.toBe(b);
    const client = new pg.Client({ connectionString: a });
    await client.connect();
    const { rows } = await client.query<{ n: string }>(
      "SELECT count(*) AS n FROM information_schema.tables WHERE table_schema = 'public'",
    );
    await client.end();
    expect(rows).toEqual([{ n: '0' }]);
  });
});
