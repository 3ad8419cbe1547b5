import { join } from 'node:path';
import { dpopReplayMigrations } from '@ema/dpop/sqlite';
import type { SigningKeyStorage } from '@ema/oauth-server';
import { createSqliteSigningKeyStorage, signingKeyMigrations } from '@ema/oauth-server/sqlite';
import {
  type AuditLog,
  type CommitWatch,
  createGroupCommit,
  type GroupCommit,
  type Migration,
  type SqlDatabase,
} from '@ema/storage';
import {
  auditMigrations,
  createSqliteAuditLog,
  type Database,
  openDatabase,
  sqliteCommitWatch,
  startWalCheckpointer,
} from '@ema/storage/sqlite';
import { interactiveMigrations } from '../interactive/storage/interactive-migrations.js';
import { createInteractiveStorage, type InteractiveStorage } from '../interactive/storage/interactive-storage.js';
import { rasRevocationMigrations } from '../revocation/revocation-migrations.js';
import { createCachedRegistry } from './cached-registry.js';
import { type ConsumedJtiStorage, createSqliteConsumedJtiStorage } from './consumed-jtis.js';
import { rasMigrations } from './migrations.js';
import { outsideClaimsMigrations } from './outside-claims-migrations.js';
import type { RegistryStorage } from './registry.js';
import { createSqliteRevokedTokenStorage, type RevokedTokenStorage } from './revoked-tokens.js';
import { createSqliteRegistry } from './sqlite-registry.js';
import { createSqliteSubjectStorage, type SubjectStorage } from './subjects.js';

/** Every migration of the RAS database, on either store, the shared kits' first. */
export const RAS_MIGRATIONS: readonly Migration[] = [
  ...signingKeyMigrations,
  ...auditMigrations,
  ...rasMigrations,
  ...interactiveMigrations,
  ...rasRevocationMigrations,
  ...outsideClaimsMigrations,
  ...dpopReplayMigrations,
];

/** Everything the RAS persists, in one database so that one transaction can span jti, subject and audit. */
export interface RasStorage {
  /** `'postgres'` when the RAS runs on PostgreSQL (`databaseUrl`), shared by its instances. */
  store: 'sqlite' | 'postgres';
  registry: RegistryStorage;
  subjects: SubjectStorage;
  consumedJtis: ConsumedJtiStorage;
  revokedTokens: RevokedTokenStorage;
  audit: AuditLog;
  signingKeys: SigningKeyStorage;
  /** The interactive path: its clients, requests in progress, grants and their tokens. */
  interactive: InteractiveStorage;
  /**
   * Wraps `fn` in a write transaction (`BEGIN IMMEDIATE`, so concurrent writers queue on the lock instead of
   * failing to upgrade a read snapshot). Call once and keep the returned function: it is the hot path.
   */
  transactional<A extends unknown[], R>(fn: (...args: A) => R): (...args: A) => R;
  /**
   * The hot path's writes (consumed `jti`, subject, audit record) of all requests of one event-loop turn, in one
   * `BEGIN IMMEDIATE … COMMIT`; each caller resumes after that COMMIT.
   */
  groupCommit: GroupCommit;
  /** The connection itself, for the stores built over it later (revocation: `createRasSignals`; DPoP replay). */
  database: SqlDatabase;
  /**
   * Runs `work` (opening the key store, a rotation) alone among the instances sharing the database (PostgreSQL: a
   * session advisory lock), so that two instances never both make a first key or rotate at once.
   */
  withKeyLock<T>(work: () => Promise<T>): Promise<T>;
  /**
   * Calls `onChange` soon after another instance commits a change to the signing keys (PostgreSQL), so that this
   * one adopts its rotation (`KeyStore.refresh`). SQLite: one instance, nothing to follow.
   */
  followKeyChanges(onChange: () => void): void;
  /** Commits whatever is still queued, stops the checkpointer or the commit listener, then closes the database. */
  close(): Promise<void>;
}

/** The database file name inside the RAS data directory. */
export const DATABASE_FILE = 'authorization-server.sqlite';

/** What differs between the stores, given to {@link assembleRasStorage}. */
export interface RasStoreParts {
  store: RasStorage['store'];
  commits: CommitWatch;
  signingKeys: SigningKeyStorage;
  audit: AuditLog;
  withKeyLock: RasStorage['withKeyLock'];
  followKeyChanges: RasStorage['followKeyChanges'];
  /** Stops what runs beside the connection and closes it (after the group commit's last flush). */
  close(): Promise<void>;
}

/** The RAS stores over one open, migrated connection: the same queries whichever the store. */
export function assembleRasStorage(db: SqlDatabase, parts: RasStoreParts): RasStorage {
  const immediate = db.transaction((fn: () => void) => fn());
  const groupCommit = createGroupCommit({ transaction: (fn) => immediate.immediate(fn) });
  return {
    store: parts.store,
    registry: createCachedRegistry(createSqliteRegistry(db), parts.commits),
    subjects: createSqliteSubjectStorage(db),
    consumedJtis: createSqliteConsumedJtiStorage(db),
    revokedTokens: createSqliteRevokedTokenStorage(db),
    audit: parts.audit,
    signingKeys: parts.signingKeys,
    interactive: createInteractiveStorage(db),
    transactional: (fn) => {
      const wrapped = db.transaction(fn);
      return (...args) => wrapped.immediate(...args);
    },
    groupCommit,
    database: db,
    withKeyLock: parts.withKeyLock,
    followKeyChanges: parts.followKeyChanges,
    close: () => {
      groupCommit.flush();
      return parts.close();
    },
  };
}

/**
 * Opens (creating and migrating when needed) the RAS's SQLite database in `dataDir`, or in memory for `':memory:'`;
 * `onOpen` sees the connection first (the fault tests play a full disk on it). PostgreSQL: `openPostgresRasStorage`.
 */
export function openRasStorage(dataDir: string, onOpen?: (db: Database) => void): RasStorage {
  const file = dataDir === ':memory:' ? ':memory:' : join(dataDir, DATABASE_FILE);
  const db = openDatabase({ file, migrations: RAS_MIGRATIONS });
  onOpen?.(db);
  const checkpointer = startWalCheckpointer(db, file);
  return assembleRasStorage(db, {
    store: 'sqlite',
    commits: sqliteCommitWatch(db),
    signingKeys: createSqliteSigningKeyStorage(db),
    audit: createSqliteAuditLog(db),
    withKeyLock: (work) => work(),
    followKeyChanges: () => {},
    close: () => {
      // Terminating the worker needs no wait: a checkpoint never holds anything a commit depends on.
      checkpointer.stop().catch(() => undefined);
      db.close();
      return Promise.resolve();
    },
  });
}
