import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { POSTGRES_SUPERUSER } from './postgres-cluster.js';
import type { ProcessSpec, RunAs } from './process-spec.js';

/** How to run a PostgreSQL server of the scaled stack. */
export interface PostgresProcessOptions {
  /** A cluster made by {@link initPostgresCluster}. */
  readonly dataDir: string;
  /** Its TCP port on 127.0.0.1. */
  readonly port: number;
  /** The folder of its binaries ({@link postgresBinaries}). */
  readonly binaries: string;
  /** The account it runs as ({@link postgresAccount}); `undefined` runs it as this process. */
  readonly runAs: RunAs | undefined;
  /** Databases it must hold before it counts as ready (created when missing), one per app. */
  readonly databases: readonly string[];
}

/** The URL of one database of the server at `port`, as the superuser. */
export function postgresUrl(port: number, database: string): string {
  return `postgres://${POSTGRES_SUPERUSER}@127.0.0.1:${port}/${database}`;
}

/**
 * The `postgres` process: on 127.0.0.1 only (trust authentication is safe on loopback alone), no Unix socket
 * (its default folder may not be writable by the account), durable (`fsync` and `synchronous_commit` on: the scaled
 * stack is the place to see what a commit costs), room for the connection pools of six app instances. Ready once it
 * accepts a connection and holds every database in `databases`. Stopped with SIGINT (a fast shutdown) after the
 * apps.
 */
export function postgresProcess(options: PostgresProcessOptions): ProcessSpec {
  for (const name of options.databases) {
    // A database name cannot be a bound parameter of CREATE DATABASE: only plain names are accepted.
    if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) throw new RangeError(`not a plain database name: ${name}`);
  }
  const settings: Record<string, string> = {
    listen_addresses: '127.0.0.1',
    unix_socket_directories: '',
    max_connections: '200',
    fsync: 'on',
    synchronous_commit: 'on',
    // Lock waits longer than this are logged: where contention starts shows in the log, not only in pg_locks.
    log_lock_waits: 'on',
    deadlock_timeout: '200ms',
  };
  return {
    name: 'postgres',
    title: 'PostgreSQL',
    command: join(options.binaries, 'postgres'),
    args: [
      '-D',
      options.dataDir,
      '-p',
      String(options.port),
      ...Object.entries(settings).flatMap(([k, v]) => ['-c', `${k}=${v}`]),
    ],
    cwd: options.dataDir,
    env: { PATH: process.env.PATH ?? '', HOME: tmpdir(), LC_ALL: 'C' },
    url: `http://127.0.0.1:${options.port}`,
    healthUrl: postgresUrl(options.port, 'postgres'),
    healthCheck: () => ensureDatabases(postgresUrl(options.port, 'postgres'), options.databases),
    ...(options.runAs === undefined ? {} : { runAs: options.runAs }),
    stopSignal: 'SIGINT',
    stopLast: true,
  };
}

/** Connects, creates each missing database, and says whether all are there; `false` while the server starts. */
async function ensureDatabases(url: string, databases: readonly string[]): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1000 });
  client.on('error', () => {});
  try {
    await client.connect();
    const { rows } = await client.query<{ datname: string }>('SELECT datname FROM pg_database');
    const present = new Set(rows.map((row) => row.datname));
    for (const name of databases) {
      if (!present.has(name)) await client.query(`CREATE DATABASE ${name}`);
    }
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}
