import { createTestDatabase } from '@ema/postgres-server/test-database';
import type { Migration, SqlDatabase } from '@ema/storage';
import { openPostgresDatabase } from '@ema/storage/postgres';
import { openDatabase } from '@ema/storage/sqlite';

/** A connection under test, closable. */
export type TestConnection = SqlDatabase & { close(): void };

/** Each store the storage tests run against; `connect` opens another connection to the same data (another instance). */
export interface StoreUnderTest {
  name: 'SQLite' | 'PostgreSQL';
  open(migrations: readonly Migration[]): Promise<{ db: TestConnection; connect(): TestConnection }>;
}

let database: Promise<string> | undefined;
let schemas = 0;

/** SQLite in memory (one connection), and a fresh schema of the run's throwaway PostgreSQL server. */
export const STORES: readonly StoreUnderTest[] = [
  {
    name: 'SQLite',
    async open(migrations) {
      const db = openDatabase({ file: ':memory:', migrations });
      return {
        db,
        connect: () => {
          throw new Error('an in-memory SQLite database has one connection');
        },
      };
    },
  },
  {
    name: 'PostgreSQL',
    async open(migrations) {
      database ??= createTestDatabase('ssf');
      const url = await database;
      schemas += 1;
      const schema = `s${process.pid}_${schemas}`;
      const connect = () => openPostgresDatabase({ url, schema, migrations });
      return { db: connect(), connect };
    },
  },
];
