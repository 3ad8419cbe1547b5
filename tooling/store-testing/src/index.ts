/**
 * Both stores the SQL stores run on, for `describe.each(STORES)`: the same suite against SQLite (a file) and
 * PostgreSQL (a fresh database per test file on the run's throwaway server). `connect()` opens another connection to the same data:
 * a second one stands for another instance of the role. Connections close after each test.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase } from '@ema/postgres-server/test-database';
import type { Migration, SqlDatabase } from '@ema/storage';
import { openPostgresDatabase } from '@ema/storage/postgres';
import { openDatabase } from '@ema/storage/sqlite';
import { afterEach } from 'vitest';

/** One store's data, reachable through as many connections as a test opens. */
export interface OpenedStore {
  connect(): SqlDatabase;
}

/** A store the suites run against. */
export interface StoreUnderTest {
  name: 'SQLite' | 'PostgreSQL';
  open(migrations: readonly Migration[]): Promise<OpenedStore>;
}

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0).reverse()) cleanup();
});

let database: Promise<string> | undefined;
let schemas = 0;

export const STORES: readonly StoreUnderTest[] = [
  {
    name: 'SQLite',
    async open(migrations) {
      const dir = mkdtempSync(join(tmpdir(), 'ema-store-'));
      cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
      const file = join(dir, 'store.sqlite');
      return {
        connect() {
          const db = openDatabase({ file, migrations });
          cleanups.push(() => db.close());
          return db;
        },
      };
    },
  },
  {
    name: 'PostgreSQL',
    async open(migrations) {
      database ??= createTestDatabase('store');
      const url = await database;
      schemas += 1;
      // A schema per test: one database per file, fresh tables per test.
      const schema = `t${process.pid}_${schemas}`;
      return {
        connect() {
          const db = openPostgresDatabase({ url, schema, migrations });
          cleanups.push(() => db.close());
          return db;
        },
      };
    },
  },
];
