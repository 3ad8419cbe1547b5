import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase } from '@ema/postgres-server/test-database';
import type { Migration, SqlDatabase } from '../src/index.js';
import { openPostgresDatabase } from '../src/postgres.js';
import { openDatabase } from '../src/sqlite.js';

/** A connection under test, closable. */
export type TestConnection = SqlDatabase & { close(): void };

/** One store's data, and as many connections to it as a test wants (a second one stands for another instance). */
export interface OpenedStore {
  db: TestConnection;
  connect(): TestConnection;
  close(): void;
}

/** Each store the storage tests run against: the same suite, both databases. */
export interface StoreUnderTest {
  name: 'SQLite' | 'PostgreSQL';
  open(migrations: readonly Migration[]): Promise<OpenedStore>;
}

let schemas = 0;
let database: Promise<string> | undefined;

export const STORES: readonly StoreUnderTest[] = [
  {
    name: 'SQLite',
    async open(migrations) {
      const dir = mkdtempSync(join(tmpdir(), 'ema-store-'));
      const file = join(dir, 'store.sqlite');
      const connections: TestConnection[] = [];
      const connect = () => {
        const db = openDatabase({ file, migrations });
        // better-sqlite3's close is idempotent, so the store may close what a test closed already.
        connections.push(db);
        return db;
      };
      return {
        db: connect(),
        connect,
        close: () => {
          for (const db of connections) db.close();
          rmSync(dir, { recursive: true, force: true });
        },
      };
    },
  },
  {
    name: 'PostgreSQL',
    async open(migrations) {
      database ??= createTestDatabase('storage');
      const url = await database;
      schemas += 1;
      const schema = `s${process.pid}_${schemas}`;
      const connections: TestConnection[] = [];
      const connect = () => {
        const db = openPostgresDatabase({ url, schema, migrations });
        connections.push(db);
        return db;
      };
      return {
        db: connect(),
        connect,
        close: () => {
          for (const db of connections) db.close();
        },
      };
    },
  },
];
