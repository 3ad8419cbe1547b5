import BetterSqlite3 from 'better-sqlite3';

/**
 * Opens an app's SQLite file read-only, as an operator inspecting it would: the test reads what is durable, never
 * through the app's own code, and cannot change it.
 */
export function openReadOnly(file: string): BetterSqlite3.Database {
  return new BetterSqlite3(file, { readonly: true, fileMustExist: true });
}
