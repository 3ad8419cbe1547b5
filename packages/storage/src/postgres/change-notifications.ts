/**
 * Cache invalidation across instances: PostgreSQL's `LISTEN`/`NOTIFY` where SQLite has `PRAGMA data_version`.
 * A statement-level trigger on each watched table sends `NOTIFY` in the writing transaction, so the notice leaves
 * at its COMMIT and reaches every instance's listening connection within milliseconds.
 */
import pg from 'pg';
import type { CommitWatch } from '../commit-watch.js';
import type { PostgresDatabase } from './postgres-database.js';

/** How long to wait before listening again after the listening connection failed. */
const RECONNECT_MS = 500;

/** A watch over some tables; `stop` ends its listening connection. */
export interface PostgresCommitWatch {
  watch: CommitWatch;
  stop(): Promise<void>;
}

/**
 * Installs the notify triggers on `tables` (idempotent, under an advisory lock so that instances booting together do
 * not race on the DDL) and listens: each notice calls every `onChange` at once. While the listening connection is
 * down, every check reports a change: a cache
 * then reads through rather than serve rows another instance may have changed.
 */
export async function watchPostgresCommits(
  db: PostgresDatabase,
  tables: readonly string[],
): Promise<PostgresCommitWatch> {
  const channel = `ema_changes_${db.schema}`;
  installTriggers(db, channel, tables);
  const listeners = new Set<() => void>();
  let listening = false;
  let stopped = false;
  let client: pg.Client | undefined;

  const notify = (): void => {
    for (const listener of listeners) listener();
  };
  const listen = async (): Promise<void> => {
    const next = new pg.Client({ connectionString: db.url, application_name: 'ema-listen' });
    // A notice drops the caches at once; the check then has nothing to add.
    next.on('notification', notify);
    next.on('error', () => {
      listening = false;
      next.end().catch(() => undefined);
      if (!stopped) setTimeout(() => void listen().catch(() => undefined), RECONNECT_MS).unref();
    });
    await next.connect();
    await next.query(`LISTEN ${channel}`);
    client = next;
    listening = true;
    // Anything committed while no one listened is unknown: drop every cache once.
    notify();
  };
  await listen();

  return {
    watch(onChange) {
      listeners.add(onChange);
      return () => {
        if (!listening) onChange();
      };
    },
    async stop() {
      stopped = true;
      listening = false;
      await client?.end().catch(() => undefined);
    },
  };
}

function installTriggers(db: PostgresDatabase, channel: string, tables: readonly string[]): void {
  db.transaction(() => {
    db.exec(`SELECT pg_advisory_xact_lock(hashtext('ema.notify.${db.schema}'))`);
    db.exec(`CREATE OR REPLACE FUNCTION ema_notify_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN PERFORM pg_notify('${channel}', TG_TABLE_NAME); RETURN NULL; END $$`);
    for (const table of tables) {
      if (!/^[a-z_][a-z0-9_]*$/.test(table)) throw new RangeError(`not a plain table name: ${table}`);
      db.exec(`CREATE OR REPLACE TRIGGER ema_notify_${table} AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON ${table}
        FOR EACH STATEMENT EXECUTE FUNCTION ema_notify_change()`);
    }
  })();
}
