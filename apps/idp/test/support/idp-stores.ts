import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase } from '@ema/postgres-server/test-database';
import type { CommitWatch, SqlDatabase } from '@ema/storage';
import { openPostgresDatabase, watchPostgresCommits } from '@ema/storage/postgres';
import { openDatabase, sqliteCommitWatch } from '@ema/storage/sqlite';
import type { IdpStorage } from '../../src/storage/idp-storage.js';
import { CACHED_TABLES } from '../../src/storage/open-idp-database.js';
import { createSqliteIdpStorage } from '../../src/storage/sqlite/create-sqlite-idp-storage.js';
import { idpMigrations } from '../../src/storage/sqlite/idp-migrations.js';

/** One connection to the store under test and the IdP storage built on it (as one instance of the IdP holds). */
export interface IdpInstance {
  readonly db: SqlDatabase;
  readonly storage: IdpStorage;
}

/** One fresh database of a store; `instance()` opens another connection to it (another instance of the IdP). */
export interface OpenedIdpStore {
  instance(): Promise<IdpInstance>;
  close(): Promise<void>;
}

/** Each store the IdP's storage tests run against: the same suite on both. */
export interface IdpStoreUnderTest {
  readonly name: 'SQLite' | 'PostgreSQL';
  open(): Promise<OpenedIdpStore>;
}

let schemas = 0;
let database: Promise<string> | undefined;

export const IDP_STORES: readonly IdpStoreUnderTest[] = [
  {
    name: 'SQLite',
    async open() {
      const dir = mkdtempSync(join(tmpdir(), 'idp-store-'));
      const closers: (() => void)[] = [];
      return {
        async instance() {
          const db = openDatabase({ file: join(dir, 'idp.sqlite'), migrations: idpMigrations });
          closers.push(() => db.close());
          return { db, storage: createSqliteIdpStorage(db, sqliteCommitWatch(db)) };
        },
        async close() {
          for (const close of closers) close();
          rmSync(dir, { recursive: true, force: true });
        },
      };
    },
  },
  {
    name: 'PostgreSQL',
    async open() {
      database ??= createTestDatabase('idp');
      const url = await database;
      schemas += 1;
      const schema = `idp_${process.pid}_${schemas}`;
      const closers: (() => Promise<void>)[] = [];
      return {
        async instance() {
          const db = openPostgresDatabase({ url, schema, migrations: idpMigrations });
          let commits: CommitWatch;
          try {
            const watch = await watchPostgresCommits(db, CACHED_TABLES);
            commits = watch.watch;
            closers.push(async () => {
              await watch.stop();
              db.close();
            });
          } catch (error) {
            db.close();
            throw error;
          }
          return { db, storage: createSqliteIdpStorage(db, commits) };
        },
        async close() {
          for (const close of closers) await close();
        },
      };
    },
  },
];
