/**
 * `@ema/dpop/sqlite`: the durable replay store of DPoP proofs on SQL. Despite the name it serves both SQLite and
 * PostgreSQL: it takes a `SqlDatabase` of `@ema/storage` (a better-sqlite3 connection, or a `PostgresDatabase` of
 * `@ema/storage/postgres`) and uses one set of queries.
 */
export {
  createSqliteDpopReplayStore,
  dpopReplayMigrations,
  type SqliteDpopReplayStore,
} from './sqlite/sqlite-dpop-replay-store.js';
