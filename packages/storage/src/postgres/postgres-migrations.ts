import type { Migration } from '../migration.js';
import { postgresDdl } from './postgres-ddl.js';
import type { SyncConnection } from './sync-connection.js';

/**
 * Applies the pending migrations in one transaction that first takes a transaction-level advisory lock named after
 * the schema: when several instances boot at once, one migrates and the others wait, then find nothing to do.
 * Throws when two migrations share an id or a recorded id has a different name.
 */
export function applyPostgresMigrations(
  connection: SyncConnection,
  schema: string,
  migrations: readonly Migration[],
): void {
  const seen = new Set<number>();
  for (const migration of migrations) {
    if (seen.has(migration.id)) throw new Error(`migration id ${migration.id} is used twice`);
    seen.add(migration.id);
  }
  connection.query('BEGIN');
  try {
    connection.query("SELECT pg_advisory_xact_lock(hashtext('ema.migrations.' || $1))", [schema]);
    connection.query(
      'CREATE TABLE IF NOT EXISTS schema_migrations (id BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)',
    );
    const done = new Map<number, string>();
    for (const row of connection.query('SELECT id, name FROM schema_migrations').rows) {
      done.set(Number(row.id), String(row.name));
    }
    for (const migration of migrations) {
      const name = done.get(migration.id);
      if (name === undefined) {
        connection.query(migration.postgres ?? postgresDdl(migration.sql));
        connection.query('INSERT INTO schema_migrations (id, name, applied_at) VALUES ($1, $2, $3)', [
          migration.id,
          migration.name,
          Date.now(),
        ]);
      } else if (name !== migration.name) {
        throw new Error(`migration ${migration.id} was applied as "${name}", not "${migration.name}"`);
      }
    }
    connection.query('COMMIT');
  } catch (error) {
    connection.query('ROLLBACK');
    throw error;
  }
}
