import type { Migration } from '../migration.js';
import type { SqlDatabase, SqlStatement, SqlTransaction, TransactionArguments } from '../sql-database.js';
import { bindValues, toPostgresPlaceholders } from './placeholders.js';
import { applyPostgresMigrations } from './postgres-migrations.js';
import { PostgresQueryError } from './postgres-query-error.js';
import { openSyncConnection, type SyncConnection } from './sync-connection.js';

/** Options of {@link openPostgresDatabase}. */
export interface OpenPostgresDatabaseOptions {
  /** `postgres://user:password@host:port/database` (a `DATABASE_URL`). */
  url: string;
  /** The schema this role's tables live in (created when missing), so that roles may share one database. */
  schema: string;
  /** Applied in the given order, each at most once, under an advisory lock (several instances may boot at once). */
  migrations: readonly Migration[];
  /** Shown in `pg_stat_activity.application_name`. */
  applicationName?: string;
}

/** A PostgreSQL connection with the SQLite store's API, so one set of queries serves both. */
export interface PostgresDatabase extends SqlDatabase {
  readonly url: string;
  readonly schema: string;
  close(): void;
}

/**
 * Opens a connection to PostgreSQL, creates the schema and applies the pending migrations. Every instance of a
 * role opens its own; what must be shared between instances is shared through the database (unique keys,
 * conditional updates, advisory locks), never through the process.
 */
export function openPostgresDatabase(options: OpenPostgresDatabaseOptions): PostgresDatabase {
  if (!/^[a-z_][a-z0-9_]*$/.test(options.schema)) throw new RangeError(`not a plain schema name: ${options.schema}`);
  const connection = openSyncConnection(
    options.url,
    `CREATE SCHEMA IF NOT EXISTS ${options.schema}; SET search_path TO ${options.schema}`,
    options.applicationName,
  );
  try {
    applyPostgresMigrations(connection, options.schema, options.migrations);
  } catch (error) {
    connection.close();
    throw error;
  }
  return postgresDatabase(connection, options.url, options.schema);
}

function postgresDatabase(connection: SyncConnection, url: string, schema: string): PostgresDatabase {
  let depth = 0;
  const runInTransaction = <R>(fn: () => R): R => {
    // Nested: a savepoint, as better-sqlite3 does, so that one item of a group commit fails alone.
    const savepoint = depth === 0 ? undefined : `ema_sp_${depth}`;
    // A transaction may start on a new connection when the old one was lost; nothing inside it may.
    if (savepoint === undefined) connection.query('BEGIN', [], true);
    else connection.query(`SAVEPOINT ${savepoint}`);
    depth += 1;
    let result: R;
    try {
      result = fn();
    } catch (error) {
      depth -= 1;
      connection.query(savepoint === undefined ? 'ROLLBACK' : `ROLLBACK TO SAVEPOINT ${savepoint}`);
      if (savepoint !== undefined) connection.query(`RELEASE SAVEPOINT ${savepoint}`);
      throw error;
    }
    depth -= 1;
    try {
      const ended = connection.query(savepoint === undefined ? 'COMMIT' : `RELEASE SAVEPOINT ${savepoint}`);
      // PostgreSQL answers the COMMIT of a transaction that a failed statement aborted (an error the code caught and
      // went on from) with ROLLBACK, not an error: nothing was kept, so no caller may be told it was.
      if (savepoint === undefined && ended.command === 'ROLLBACK') {
        throw new PostgresQueryError('the transaction was rolled back: one of its statements had failed', '25P02');
      }
    } catch (error) {
      if (savepoint === undefined) connection.query('ROLLBACK');
      throw error;
    }
    return result;
  };

  return {
    url,
    schema,
    prepare(sql) {
      const statement = toPostgresPlaceholders(sql);
      const query = (values: readonly unknown[]) => connection.query(statement.text, values, depth === 0);
      const read = /^\s*SELECT\b/i.test(statement.text);
      const prepared: SqlStatement<unknown[], unknown> = {
        run: (...params) => ({ changes: query(bindValues(statement, params)).rowCount }),
        get: (...params) => {
          const values = bindValues(statement, params);
          return read && holdsNul(values) ? undefined : query(values).rows[0];
        },
        all: (...params) => {
          const values = bindValues(statement, params);
          return read && holdsNul(values) ? [] : query(values).rows;
        },
      };
      // The one statement object serves every parameter shape the caller declared.
      return prepared as never;
    },
    transaction<F extends (...args: never[]) => unknown>(fn: F): SqlTransaction<F> {
      const call = (...args: TransactionArguments<F>) =>
        runInTransaction(() => (fn as (...a: TransactionArguments<F>) => ReturnType<F>)(...args));
      return Object.assign(call, { immediate: call });
    },
    exec(sql) {
      connection.query(sql, [], depth === 0);
    },
    get inTransaction() {
      return depth > 0;
    },
    close() {
      connection.close();
    },
  };
}

/**
 * PostgreSQL text cannot hold U+0000, so no stored row holds it either: a `SELECT` keyed by such a value (a
 * `client_id` or username from a request) finds nothing, as it does on SQLite, instead of the server's encoding error.
 * (A filter that excludes the value, `<>`, would also find nothing; the stores have none on request input.) Any other
 * statement (a write, `INSERT … RETURNING` included) goes to the server, which refuses the value (SQLSTATE 22021): it
 * cannot be kept as it is.
 */
function holdsNul(values: readonly unknown[]): boolean {
  return values.some((value) => typeof value === 'string' && value.includes('\u0000'));
}
