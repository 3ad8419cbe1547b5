import type { CommitWatch, SqlDatabase } from '@ema/storage';
import type { IdpStorage } from '../idp-storage.js';
import { withAdminDataCache } from './admin-data-cache.js';
import { createSqliteClientStorage } from './sqlite-clients.js';
import { createSqliteDirectoryStorage } from './sqlite-directory.js';
import { createSqliteIdTokenStorage } from './sqlite-id-tokens.js';
import { createSqlitePasskeyStorage } from './sqlite-passkeys.js';
import { createSqlitePolicyStorage } from './sqlite-policy.js';
import { createSqliteSignInFailureStorage } from './sqlite-sign-in-failures.js';
import { createSqliteSignInRequestStorage } from './sqlite-sign-in-requests.js';
import { createSqliteTokenStorage } from './sqlite-tokens.js';

/**
 * The IdP storage on one database (migrated with `idpMigrations`): SQLite, or PostgreSQL through the same
 * `SqlDatabase` API and the same queries. Every statement is prepared once here, so the token endpoint does no
 * statement compilation per request, and the admin data the token exchange reads is cached in memory until it
 * changes: `commits` tells when another connection (another instance) committed (see `withAdminDataCache`).
 */
export function createSqliteIdpStorage(db: SqlDatabase, commits: CommitWatch): IdpStorage {
  const hasRun = db.prepare<[string], { name: string }>('SELECT name FROM seed_runs WHERE name = ?');
  const markRun = db.prepare<[string, number]>(
    'INSERT INTO seed_runs (name, applied_at) VALUES (?, ?) ON CONFLICT DO NOTHING',
  );
  const storage: IdpStorage = {
    ...createSqliteDirectoryStorage(db),
    ...createSqliteClientStorage(db),
    ...createSqlitePolicyStorage(db),
    ...createSqliteTokenStorage(db),
    ...createSqliteIdTokenStorage(db),
    ...createSqlitePasskeyStorage(db),
    ...createSqliteSignInRequestStorage(db),
    ...createSqliteSignInFailureStorage(db),
    hasRun: (name) => hasRun.get(name) !== undefined,
    markRun: (name, at) => markRun.run(name, at).changes === 1,
    // Immediate: a transaction that reads before it writes takes the write lock (waiting for it, busy_timeout) at
    // BEGIN. A deferred one would have to upgrade mid-way, which SQLite refuses at once (SQLITE_BUSY, no wait) when
    // another connection holds the lock: the checkpointer's RESTART pass, or another process.
    transaction: <T>(work: () => T): T => db.transaction(work).immediate(),
    // Nothing to drop: this layer caches nothing.
    dropStaleCaches: () => {},
  };
  return withAdminDataCache(storage, db, commits);
}
