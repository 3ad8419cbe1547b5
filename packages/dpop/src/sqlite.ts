/**
 * `@ema/dpop/sqlite`: the durable replay store of DPoP proofs on SQLite (better-sqlite3 through `@ema/storage`).
 */
export {
  createSqliteDpopReplayStore,
  dpopReplayMigrations,
  type SqliteDpopReplayStore,
} from './sqlite/sqlite-dpop-replay-store.js';
