import type { AuditLog } from '../audit/audit-log.js';
import { createSqliteAuditLog, type SqliteAuditLogOptions } from '../sqlite/sqlite-audit-log.js';
import type { PostgresDatabase } from './postgres-database.js';

/**
 * The audit log on PostgreSQL: the same queries as SQLite's (apply `auditMigrations` first). Every instance appends
 * to the one table; ids come from its identity, so they increase in the order rows were inserted (commit order may
 * differ by a few rows between instances under load). U+0000 in recorded text is kept as U+FFFD (PostgreSQL text
 * cannot hold it).
 */
export function createPostgresAuditLog(db: PostgresDatabase, options: SqliteAuditLogOptions = {}): AuditLog {
  return createSqliteAuditLog(db, { ...options, replaceNul: true });
}
