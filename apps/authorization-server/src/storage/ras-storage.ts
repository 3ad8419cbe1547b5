import { join } from 'node:path';
import { dpopReplayMigrations } from '@ema/dpop/sqlite';
import type { SigningKeyStorage } from '@ema/oauth-server';
import { createSqliteSigningKeyStorage, signingKeyMigrations } from '@ema/oauth-server/sqlite';
import { type AuditLog, createGroupCommit, type GroupCommit } from '@ema/storage';
import {
  auditMigrations,
  createSqliteAuditLog,
  type Database,
  openDatabase,
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

/** Everything the RAS persists, in one database so that one transaction can span jti, subject and audit. */
export interface RasStorage {
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
  /** The connection itself, for the stores built over it later (revocation: `createRasSignals`). */
  database: Database;
  /** Commits whatever is still queued, then closes the database. */
  close(): void;
}

/** The database file name inside the RAS data directory. */
export const DATABASE_FILE = 'authorization-server.sqlite';

/**
 * Opens (creating and migrating when needed) the RAS database in `dataDir`, or in memory for `':memory:'`;
 * `onOpen` sees the connection first (the fault tests play a full disk on it).
 */
export function openRasStorage(dataDir: string, onOpen?: (db: Database) => void): RasStorage {
  const file = dataDir === ':memory:' ? ':memory:' : join(dataDir, DATABASE_FILE);
  const db = openDatabase({
    file,
    migrations: [
      ...signingKeyMigrations,
      ...auditMigrations,
      ...rasMigrations,
      ...interactiveMigrations,
      ...rasRevocationMigrations,
      ...outsideClaimsMigrations,
      ...dpopReplayMigrations,
    ],
  });
  onOpen?.(db);
  const immediate = db.transaction((fn: () => void) => fn());
  const groupCommit = createGroupCommit({ transaction: (fn) => immediate.immediate(fn) });
  const checkpointer = startWalCheckpointer(db, file);
  return {
    registry: createCachedRegistry(createSqliteRegistry(db), db),
    subjects: createSqliteSubjectStorage(db),
    consumedJtis: createSqliteConsumedJtiStorage(db),
    revokedTokens: createSqliteRevokedTokenStorage(db),
    audit: createSqliteAuditLog(db),
    signingKeys: createSqliteSigningKeyStorage(db),
    interactive: createInteractiveStorage(db),
    transactional: (fn) => {
      const wrapped = db.transaction(fn);
      return (...args) => wrapped.immediate(...args);
    },
    groupCommit,
    database: db,
    close: () => {
      groupCommit.flush();
      // Terminating the worker needs no wait: a checkpoint never holds anything a commit depends on.
      checkpointer.stop().catch(() => undefined);
      db.close();
    },
  };
}
