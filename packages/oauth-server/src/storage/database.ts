import type BetterSqlite3 from 'better-sqlite3';

/** A better-sqlite3 connection, as returned by `openDatabase`. */
export type Database = BetterSqlite3.Database;

/** One schema change. `id` is unique per database (the kit's own migrations use ids from 1000 up). */
export interface Migration {
  id: number;
  name: string;
  sql: string;
}
