import type { SqlDatabase } from '../sql-database.js';
import type { Database } from './database.js';

/** Compile-time proof that a better-sqlite3 connection is a {@link SqlDatabase}. */
export const sqliteIsSqlDatabase = (db: Database): SqlDatabase => db;
