import { join } from 'node:path';
import { dpopReplayMigrations } from '@ema/dpop/sqlite';
import type { SigningKeyStorage } from '@ema/oauth-server';
import { createPostgresSigningKeyStorage, postgresKeyCoordination } from '@ema/oauth-server/postgres';
import { createSqliteSigningKeyStorage, signingKeyMigrations } from '@ema/oauth-server/sqlite';
import type { AuditLog, CommitWatch, Migration, SqlDatabase } from '@ema/storage';
import { createPostgresAuditLog, openPostgresDatabase, watchPostgresCommits } from '@ema/storage/postgres';
import {
  auditMigrations,
  createSqliteAuditLog,
  type Database,
  openDatabase,
  sqliteCommitWatch,
  startWalCheckpointer,
} from '@ema/storage/sqlite';
import type { IdpConfig } from '../config.js';
import { idpRevocationMigrations } from '../ssf/revocation-migrations.js';
import { idpMigrations } from './sqlite/idp-migrations.js';

/** Every migration of the IdP's database, the shared kits' first, on either store. */
export const IDP_MIGRATIONS: readonly Migration[] = [
  ...signingKeyMigrations,
  ...auditMigrations,
  ...idpMigrations,
  ...idpRevocationMigrations,
  ...dpopReplayMigrations,
];

/**
 * The tables the in-memory caches of `withAdminDataCache` read: a commit to any of them by another instance drops
 * every cache there (`LISTEN`/`NOTIFY`), so an admin change applies at the next exchange on every instance.
 */
export const CACHED_TABLES: readonly string[] = [
  'users',
  'groups',
  'group_members',
  'clients',
  'resources',
  'policy_rules',
  'id_tokens',
];

/** Every table whose commits the other instances must hear of: the cached ones and the signing keys (a rotation). */
const WATCHED_TABLES: readonly string[] = ['signing_keys', ...CACHED_TABLES];

/** The IdP's open database, whichever store, with what is built on the connection itself. */
export interface IdpDatabase {
  /** The connection: better-sqlite3's or a `PostgresDatabase`, both a `SqlDatabase`. */
  readonly db: SqlDatabase;
  /** `'postgres'` when `databaseUrl` is set. */
  readonly store: 'sqlite' | 'postgres';
  /** The better-sqlite3 connection itself on SQLite (the fault tests play a full disk on its file), else undefined. */
  readonly sqlite: Database | undefined;
  readonly commits: CommitWatch;
  readonly signingKeys: SigningKeyStorage;
  readonly audit: AuditLog;
  /**
   * Runs `work` (opening the key store) alone among the instances sharing the database (a PostgreSQL session
   * advisory lock), so that two booting at once on an empty database do not both make a first key.
   */
  withKeySetupLock<T>(work: () => Promise<T>): Promise<T>;
  /**
   * Calls `onChange` soon after another instance commits a change to the signing keys (PostgreSQL), so that this
   * one adopts its rotation (`KeyStore.refresh`). SQLite: one instance, nothing to follow.
   */
  followKeyChanges(onChange: () => void): void;
  /** Stops the WAL checkpointer or the commit listener, then closes the connection. */
  close(): Promise<void>;
}

/**
 * Opens (and migrates) the IdP's database: PostgreSQL in schema `idp` when `config.databaseUrl` is set (several
 * instances share it: migrations under an advisory lock, caches invalidated by `LISTEN`/`NOTIFY`), else SQLite in
 * `config.dataDir` with its WAL checkpointer, exactly as a lone instance runs.
 */
export async function openIdpDatabase(config: IdpConfig, now: () => number): Promise<IdpDatabase> {
  if (config.databaseUrl !== undefined) {
    const db = openPostgresDatabase({
      url: config.databaseUrl,
      schema: 'idp',
      migrations: IDP_MIGRATIONS,
      applicationName: 'ema-idp',
    });
    try {
      const watch = await watchPostgresCommits(db, WATCHED_TABLES);
      // Held while the signing keys are loaded or first made: instances booting together would each make their own.
      const keys = postgresKeyCoordination(db, watch.watch, 'ema.idp.signing_keys');
      return {
        db,
        store: 'postgres',
        sqlite: undefined,
        commits: watch.watch,
        signingKeys: createPostgresSigningKeyStorage(db),
        audit: createPostgresAuditLog(db, { now }),
        withKeySetupLock: keys.withKeyLock,
        followKeyChanges: keys.followKeyChanges,
        close: async () => {
          keys.stop();
          await watch.stop();
          db.close();
        },
      };
    } catch (error) {
      db.close();
      throw error;
    }
  }
  const file = config.dataDir === ':memory:' ? ':memory:' : join(config.dataDir, 'idp.sqlite');
  const db = openDatabase({ file, migrations: IDP_MIGRATIONS });
  // WAL checkpoints (a copy into the database file and an fsync) on a worker thread, never inside a request's COMMIT.
  const checkpointer = startWalCheckpointer(db, file);
  return {
    db,
    store: 'sqlite',
    sqlite: db,
    commits: sqliteCommitWatch(db),
    signingKeys: createSqliteSigningKeyStorage(db),
    audit: createSqliteAuditLog(db, { now }),
    withKeySetupLock: (work) => work(),
    followKeyChanges: () => {},
    close: async () => {
      await checkpointer.stop();
      db.close();
    },
  };
}
