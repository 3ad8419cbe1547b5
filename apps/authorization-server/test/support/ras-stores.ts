import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase } from '@ema/postgres-server/test-database';
import { openPostgresRasStorage } from '../../src/storage/postgres-ras-storage.js';
import { openRasStorage, type RasStorage } from '../../src/storage/ras-storage.js';

/** One fresh database of a store; `instance()` opens another connection to it (another instance of the RAS). */
export interface OpenedRasStore {
  instance(): Promise<RasStorage>;
  /** PostgreSQL: where the database is (for tests that open connections of their own). */
  readonly postgres?: { url: string; schema: string };
  close(): Promise<void>;
}

/** Each store the RAS's storage tests run against: the same suite on both. */
export interface RasStoreUnderTest {
  readonly name: 'SQLite' | 'PostgreSQL';
  open(): Promise<OpenedRasStore>;
}

let schemas = 0;
let database: Promise<string> | undefined;

export const RAS_STORES: readonly RasStoreUnderTest[] = [
  {
    name: 'SQLite',
    async open() {
      const dir = mkdtempSync(join(tmpdir(), 'ras-store-'));
      const opened: RasStorage[] = [];
      return {
        async instance() {
          const storage = openRasStorage(dir);
          opened.push(storage);
          return storage;
        },
        async close() {
          for (const storage of opened) await storage.close();
          rmSync(dir, { recursive: true, force: true });
        },
      };
    },
  },
  {
    name: 'PostgreSQL',
    async open() {
      database ??= createTestDatabase('ras');
      const url = await database;
      schemas += 1;
      const schema = `ras_${process.pid}_${schemas}`;
      const opened: RasStorage[] = [];
      return {
        postgres: { url, schema },
        async instance() {
          const storage = await openPostgresRasStorage({ url, schema });
          opened.push(storage);
          return storage;
        },
        async close() {
          for (const storage of opened) await storage.close();
        },
      };
    },
  },
];
