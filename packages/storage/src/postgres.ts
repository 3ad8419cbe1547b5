/**
 * `@ema/storage/postgres`: the store for several instances of a role. A synchronous connection with the SQLite
 * store's API (so both run the same queries), migrations under an advisory lock, and cache invalidation through
 * `LISTEN`/`NOTIFY`.
 */
export { type PostgresCommitWatch, watchPostgresCommits } from './postgres/change-notifications.js';
export { createPostgresAuditLog } from './postgres/postgres-audit-log.js';
export {
  type OpenPostgresDatabaseOptions,
  openPostgresDatabase,
  type PostgresDatabase,
} from './postgres/postgres-database.js';
export { postgresDdl } from './postgres/postgres-ddl.js';
export { PostgresQueryError } from './postgres/postgres-query-error.js';
