/**
 * `@ema/storage`: what every role's storage shares, whatever the database. The audit log's contract, migrations,
 * group commit (many requests' final writes in one durable transaction), the data directory, and which storage
 * errors mean "unavailable, retry later" or "the request's text cannot be stored". Loads no database driver: the
 * SQLite implementations are under `@ema/storage/sqlite`.
 */
export type { AuditEvent, AuditLog, AuditQuery, AuditRecord } from './audit/audit-log.js';
export { auditQuery, auditRecordView } from './audit/audit-record-view.js';
export type { CommitWatch } from './commit-watch.js';
export {
  afterNextPoll,
  createGroupCommit,
  type GroupCommit,
  type GroupCommitOptions,
  type Savepoint,
  type WriteTransaction,
} from './group-commit.js';
export type { Migration } from './migration.js';
export { resolveDataDir } from './resolve-data-dir.js';
export type { SqlDatabase, SqlRunResult, SqlStatement, SqlTransaction } from './sql-database.js';
export { isStorageUnavailable, isUnstorableText } from './storage-errors.js';
