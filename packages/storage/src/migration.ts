/** One schema change. `id` is unique per database (the shared kits' own migrations use ids from 1000 up). */
export interface Migration {
  id: number;
  name: string;
  /** The SQLite DDL (also the PostgreSQL DDL after `postgresDdl` when `postgres` is absent). */
  sql: string;
  /** The PostgreSQL DDL, when the mechanical translation of `sql` does not fit (triggers, for one). */
  postgres?: string;
}
