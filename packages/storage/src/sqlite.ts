/**
 * `@ema/storage/sqlite`: the embedded default store (better-sqlite3, WAL). Opening a database with its migrations,
 * the WAL checkpointer, the watcher of other connections' commits (for cache invalidation) and the SQLite audit log.
 */
export type { Database } from './sqlite/database.js';
export { type OpenDatabaseOptions, openDatabase } from './sqlite/open-database.js';
export { sqliteCommitWatch, watchOtherConnectionCommits } from './sqlite/other-connection-commits.js';
export {
  auditCompactMigration,
  auditMigration,
  auditMigrations,
  createSqliteAuditLog,
  type SqliteAuditLogOptions,
} from './sqlite/sqlite-audit-log.js';
export { CHECKPOINT_INTERVAL_MS, startWalCheckpointer, type WalCheckpointer } from './sqlite/wal-checkpointer.js';
