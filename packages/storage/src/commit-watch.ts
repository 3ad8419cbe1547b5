/**
 * How an in-memory cache learns that another connection changed its rows: given `onChange`, returns a check that
 * the hot path may call on every request (cheap; at most one look per event-loop turn) and that calls `onChange`
 * when another connection committed since the last check. SQLite: `PRAGMA data_version`
 * (`sqliteCommitWatch` of `@ema/storage/sqlite`); PostgreSQL: `LISTEN`/`NOTIFY` (`watchPostgresCommits` of
 * `@ema/storage/postgres`).
 */
export type CommitWatch = (onChange: () => void) => () => void;
