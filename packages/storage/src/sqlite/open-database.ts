import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import type { Migration } from '../migration.js';
import type { Database } from './database.js';

/** Options of {@link openDatabase}. */
export interface OpenDatabaseOptions {
  /** Path of the database file (its directory is created), or `':memory:'` for tests. */
  file: string;
  /** Applied in the given order, each at most once per database. */
  migrations: readonly Migration[];
}

const SCHEMA_MIGRATIONS = `CREATE TABLE IF NOT EXISTS schema_migrations (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  applied_at INTEGER NOT NULL
)`;

/**
 * Opens (creating if needed) a SQLite database: WAL journal, `foreign_keys=ON`, `synchronous=NORMAL`, a busy
 * time-out, then applies the pending migrations in one immediate transaction and records them in
 * `schema_migrations`. Throws when two migrations share an id or a recorded id has a different name.
 */
export function openDatabase(options: OpenDatabaseOptions): Database {
  assertUniqueIds(options.migrations);
  if (options.file !== ':memory:') mkdirSync(dirname(options.file), { recursive: true });
  const db = new BetterSqlite3(options.file);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    db.pragma('synchronous = NORMAL');
    db.pragma('busy_timeout = 5000');
    applyMigrations(db, options.migrations);
  } catch (error) {
    db.close();
    throw error;
  }
  return db;
}

function assertUniqueIds(migrations: readonly Migration[]): void {
  const seen = new Set<number>();
  for (const migration of migrations) {
    if (seen.has(migration.id)) throw new Error(`migration id ${migration.id} is used twice`);
    seen.add(migration.id);
  }
}

/**
 * Foreign keys are off while migrations run, as SQLite's procedure for schema changes ALTER TABLE cannot make asks
 * (sqlite.org/lang_altertable.html §7: create the new table, copy, drop the old, rename): with them on, dropping a
 * parent table would cascade into its children and renaming it would repoint their references. Before the
 * transaction commits, `foreign_key_check` must find no dangling reference; they are switched back on after.
 */
function applyMigrations(db: Database, migrations: readonly Migration[]): void {
  db.pragma('foreign_keys = OFF');
  try {
    applyPendingMigrations(db, migrations);
  } finally {
    db.pragma('foreign_keys = ON');
  }
}

function applyPendingMigrations(db: Database, migrations: readonly Migration[]): void {
  db.exec(SCHEMA_MIGRATIONS);
  const applied = db.prepare<[], { id: number; name: string }>('SELECT id, name FROM schema_migrations');
  const record = db.prepare<[number, string, number]>(
    'INSERT INTO schema_migrations (id, name, applied_at) VALUES (?, ?, ?)',
  );
  // Immediate: a second process opening the same file waits instead of applying the same migration twice.
  db.transaction(() => {
    const done = new Map(applied.all().map((row) => [row.id, row.name]));
    for (const migration of migrations) {
      const name = done.get(migration.id);
      if (name === undefined) {
        db.exec(migration.sql);
        record.run(migration.id, migration.name, Date.now());
      } else if (name !== migration.name) {
        throw new Error(`migration ${migration.id} was applied as "${name}", not "${migration.name}"`);
      }
    }
    const dangling = db.pragma('foreign_key_check') as unknown[];
    if (dangling.length > 0) throw new Error('a migration left a foreign key pointing at no row');
  }).immediate();
}
