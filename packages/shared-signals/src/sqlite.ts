/**
 * `@ema/shared-signals/sqlite`: the storage seams of the transmitter (outbox, streams) and of the receiver (received
 * `jti`s) on SQL. Despite the name, the stores serve both SQLite and PostgreSQL: they take a `SqlDatabase` of
 * `@ema/storage` (a better-sqlite3 connection, or a `PostgresDatabase` of `@ema/storage/postgres`) and use one set of
 * queries. Each table comes with its migration; a transmitter applies `outboxMigration` (and `streamsMigration` when
 * it manages SSF streams), a receiver `receivedEventsMigration`.
 */
export { createSqliteOutbox, outboxMigration, type SqliteOutbox } from './sqlite/sqlite-outbox.js';
export {
  createSqliteReceivedEvents,
  receivedEventsMigration,
  type SqliteReceivedEvents,
} from './sqlite/sqlite-received-events.js';
export { createSqliteStreamStorage, streamsMigration } from './sqlite/sqlite-streams.js';
