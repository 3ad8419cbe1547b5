/**
 * The MCP server's one database: tickets, received revocations and SET `jti`s, DPoP proofs seen, and the audit log,
 * so that a tool's change and its audit record commit together. SQLite in the data directory (one process), or
 * PostgreSQL (schema `mcp`) when `databaseUrl` is set, so that several instances behind a balancer share it.
 */
import { join } from 'node:path';
import { dpopReplayMigrations } from '@ema/dpop/sqlite';
import { receivedEventsMigration } from '@ema/shared-signals/sqlite';
import type { AuditLog, CommitWatch, Migration, SqlDatabase } from '@ema/storage';
import { createPostgresAuditLog, openPostgresDatabase, watchPostgresCommits } from '@ema/storage/postgres';
import {
  auditMigrations,
  createSqliteAuditLog,
  type Database,
  openDatabase,
  startWalCheckpointer,
} from '@ema/storage/sqlite';
import type { McpServerConfig } from '../config.js';
import { revocationsMigration } from '../revocation/revocation-store.js';
import { ticketMigrations } from '../tickets/migrations.js';

/** The name of the SQLite database file inside the data directory. */
export const DATABASE_FILE = 'mcp-server.sqlite';

/** The PostgreSQL schema the MCP server's tables live in (roles may share one database). */
export const POSTGRES_SCHEMA = 'mcp';

/** Every migration of the MCP server's database, in order (the same list on both stores). */
export const MCP_MIGRATIONS: readonly Migration[] = [
  ...auditMigrations,
  ...ticketMigrations,
  receivedEventsMigration,
  revocationsMigration,
  ...dpopReplayMigrations,
];

/** The open database. */
export interface McpDatabase {
  readonly db: SqlDatabase;
  readonly auditLog: AuditLog;
  /**
   * Tells when another instance committed to `revocations` (PostgreSQL `LISTEN`/`NOTIFY`), so that a cut-off pushed
   * to one instance applies on all. `undefined` on SQLite: one process writes it, and it holds the list itself.
   */
  readonly revocationChanges: CommitWatch | undefined;
  /** Stops the background work (WAL checkpointer, or the listening connection) and closes the connection. */
  close(): Promise<void>;
}

/**
 * Opens the database the configuration names and applies the migrations (on PostgreSQL under an advisory lock, so
 * instances booting together migrate once). `onSqliteOpen` sees the SQLite connection (the fault tests).
 */
export async function openMcpDatabase(
  config: Pick<McpServerConfig, 'dataDir' | 'databaseUrl'>,
  onSqliteOpen?: (db: Database) => void,
): Promise<McpDatabase> {
  if (config.databaseUrl !== undefined) {
    const db = openPostgresDatabase({
      url: config.databaseUrl,
      schema: POSTGRES_SCHEMA,
      migrations: MCP_MIGRATIONS,
      applicationName: 'ema-mcp-server',
    });
    try {
      const changes = await watchPostgresCommits(db, ['revocations']);
      return {
        db,
        auditLog: createPostgresAuditLog(db),
        revocationChanges: changes.watch,
        async close() {
          // The listener first: it must not reload from a closed connection.
          await changes.stop();
          db.close();
        },
      };
    } catch (error) {
      db.close();
      throw error;
    }
  }
  const file = join(config.dataDir, DATABASE_FILE);
  const db = openDatabase({ file, migrations: MCP_MIGRATIONS });
  onSqliteOpen?.(db);
  // WAL checkpoints on a worker thread, never inside the COMMIT of a tool call's audit record.
  const checkpointer = startWalCheckpointer(db, file);
  return {
    db,
    auditLog: createSqliteAuditLog(db),
    revocationChanges: undefined,
    async close() {
      await checkpointer.stop();
      db.close();
    },
  };
}
