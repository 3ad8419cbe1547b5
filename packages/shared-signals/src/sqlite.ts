/**
 * `@ema/shared-signals/sqlite`: the storage seams of the transmitter (outbox, streams) and of the receiver (received
 * `jti`s) as SQL tables, on SQLite or PostgreSQL (any `SqlDatabase` of `@ema/storage`: one set of queries serves both;
 * the entry keeps its first store's name). Each table comes with its migration; a
 * transmitter applies `outboxMigration` (and `streamsMigration` when it manages SSF streams), a receiver
 * `receivedEventsMigration`.
 */
export { createSqliteOutbox, outboxMigration, type SqliteOutbox } from './sqlite/sqlite-outbox.js';
export {
  createSqliteReceivedEvents,
  receivedEventsMigration,
  type SqliteReceivedEvents,
} from './sqlite/sqlite-received-events.js';
export { createSqliteStreamStorage, streamsMigration } from './sqlite/sqlite-streams.js';
