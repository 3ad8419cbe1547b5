/**
 * `@ema/dpop/sqlite`: the durable replay store of DPoP proofs as an SQL table, on SQLite or PostgreSQL (any
 * `SqlDatabase` of `@ema/storage`; the entry keeps its first store's name).
 */
export {
  createSqliteDpopReplayStore,
  dpopReplayMigrations,
  type SqliteDpopReplayStore,
} from './sqlite/sqlite-dpop-replay-store.js';
