/**
 * The SQL connection every store is written against: the part of better-sqlite3's API the stores use, so that one
 * set of queries serves both the embedded SQLite store and the PostgreSQL store (`@ema/storage/postgres`). Queries
 * stick to the SQL both accept (`INSERT … ON CONFLICT DO NOTHING`, `RETURNING`, `?` and `@name` parameters).
 */

/** What a write reports: how many rows it changed (e.g. `0` for a consumed `jti` already present). */
export interface SqlRunResult {
  changes: number | bigint;
}

/** A prepared statement; `P` is the tuple of its parameters (one object for named, `@name`, ones). */
export interface SqlStatement<P extends unknown[] = unknown[], R = unknown> {
  run(...params: P): SqlRunResult;
  get(...params: P): R | undefined;
  all(...params: P): R[];
}

/** `fn` wrapped in a transaction; a call inside another transaction runs as a savepoint. */
export interface SqlTransaction<F extends (...args: never[]) => unknown> {
  (...args: TransactionArguments<F>): ReturnType<F>;
  /** SQLite `BEGIN IMMEDIATE` (writers queue on the lock); PostgreSQL takes row locks as it goes either way. */
  immediate(...args: TransactionArguments<F>): ReturnType<F>;
}

/** The arguments of `F`, inferred as better-sqlite3 infers them. */
export type TransactionArguments<F> = F extends (...args: infer A) => unknown ? A : never;

/** A connection: prepared statements, transactions, and DDL. */
export interface SqlDatabase {
  // The constraint is better-sqlite3's own, so that its connection is a SqlDatabase as it is.
  // biome-ignore lint/complexity/noBannedTypes: `{}` as in better-sqlite3's declaration (any object of named parameters)
  prepare<P extends unknown[] | {} = unknown[], R = unknown>(
    sql: string,
  ): P extends unknown[] ? SqlStatement<P, R> : SqlStatement<[P], R>;
  transaction<F extends (...args: never[]) => unknown>(fn: F): SqlTransaction<F>;
  exec(sql: string): void;
  /** Whether a transaction is open on this connection. */
  readonly inTransaction: boolean;
}
