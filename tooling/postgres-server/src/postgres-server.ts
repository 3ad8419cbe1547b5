import { type ChildProcess, spawn } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { findPostgresBinaries } from './binaries.js';
import { PostgresServerError } from './errors.js';
import { freePort } from './free-port.js';
import { type RunAsUser, unprivilegedUser } from './unprivileged-user.js';

/** Options of {@link startPostgresServer}; every one has a default fit for a test. */
export interface PostgresServerOptions {
  /** Keep the cluster here across runs (initdb only when empty) instead of a temporary folder removed at stop. */
  readonly dataDir?: string;
  /** The TCP port on 127.0.0.1; default a free one the kernel picks. */
  readonly port?: number;
  /** The superuser's password; default none (trust, on loopback only: fit for a throwaway test server). */
  readonly password?: string;
  /**
   * `false` (the default for tests) turns off `fsync` for speed: a crash of the machine may lose the cluster,
   * which a throwaway server does not mind. `synchronous_commit` stays on either way, so a commit has returned
   * only after the server wrote it.
   */
  readonly durable?: boolean;
  /** Folder holding `initdb` and `postgres`; default {@link findPostgresBinaries}. */
  readonly binaries?: string;
}

/** A running PostgreSQL server. */
export interface PostgresServer {
  /** Connection URL of the `postgres` database as the superuser `postgres`. */
  readonly url: string;
  readonly port: number;
  readonly dataDir: string;
  /** Creates a database (name: lower case letters, digits, `_`) and returns its URL. */
  createDatabase(name: string): Promise<string>;
  /** Fast shutdown (SIGINT), then removes the data folder unless it was given. */
  stop(): Promise<void>;
}

const SUPERUSER = 'postgres';
const READY_TIMEOUT_MS = 30_000;

/**
 * Starts a real PostgreSQL server: `initdb` into a fresh folder, `postgres` on an ephemeral loopback port, both as
 * an unprivileged account when this process is root (PostgreSQL refuses root). Fails loudly with a
 * {@link PostgresServerError} when the binaries are missing.
 */
export async function startPostgresServer(options: PostgresServerOptions = {}): Promise<PostgresServer> {
  const bin = options.binaries ?? findPostgresBinaries();
  const user = unprivilegedUser();
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'ema-postgres-'));
  const ownsDataDir = options.dataDir === undefined;
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  if (user !== undefined) chownSync(dataDir, user.uid, user.gid);
  if (!existsSync(join(dataDir, 'PG_VERSION'))) await initdb(bin, dataDir, user, options.password);

  const port = options.port ?? (await freePort());
  const settings = [
    ['listen_addresses', '127.0.0.1'],
    ['unix_socket_directories', dataDir],
    ['max_connections', '300'],
    ['synchronous_commit', 'on'],
    ['fsync', options.durable === true ? 'on' : 'off'],
  ];
  const args = ['-D', dataDir, '-p', String(port), ...settings.flatMap(([k, v]) => ['-c', `${k}=${v}`])];
  const child = run(join(bin, 'postgres'), args, user);
  const stderr: string[] = [];
  child.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk.toString()));
  const killAtExit = () => child.kill('SIGQUIT');
  process.once('exit', killAtExit);

  const auth = options.password === undefined ? SUPERUSER : `${SUPERUSER}:${encodeURIComponent(options.password)}`;
  const url = `postgres://${auth}@127.0.0.1:${port}/postgres`;
  try {
    await waitReady(url, child, stderr);
  } catch (error) {
    child.kill('SIGKILL');
    process.removeListener('exit', killAtExit);
    if (ownsDataDir) rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }

  return {
    url,
    port,
    dataDir,
    async createDatabase(name) {
      if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) throw new RangeError(`not a plain database name: ${name}`);
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE ${name}`);
      } finally {
        await client.end();
      }
      return url.replace(/\/postgres$/, `/${name}`);
    },
    async stop() {
      process.removeListener('exit', killAtExit);
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGINT');
        await exited;
      }
      if (ownsDataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function initdb(bin: string, dataDir: string, user: RunAsUser | undefined, password?: string): Promise<void> {
  const args = ['-D', dataDir, '-U', SUPERUSER, '--encoding=UTF8', '--locale=C', '--no-sync', '--no-instructions'];
  if (password === undefined) {
    args.push('--auth=trust');
  } else {
    const pwfile = join(dataDir, '..', `.pwfile-${process.pid}`);
    writeFileSync(pwfile, password, { mode: 0o600 });
    if (user !== undefined) chownSync(pwfile, user.uid, user.gid);
    args.push('--auth=scram-sha-256', `--pwfile=${pwfile}`);
  }
  const child = run(join(bin, 'initdb'), args, user);
  const output: string[] = [];
  child.stdout?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  if (password !== undefined) rmSync(join(dataDir, '..', `.pwfile-${process.pid}`), { force: true });
  if (code !== 0) throw new PostgresServerError('POSTGRES_INITDB_FAILED', `initdb exited ${code}: ${output.join('')}`);
}

function run(command: string, args: string[], user: RunAsUser | undefined): ChildProcess {
  // The child gets a home it may read (the account's may not exist) and no inherited stdin.
  const env = { ...process.env, HOME: tmpdir(), LC_ALL: 'C' };
  return spawn(command, args, {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(user === undefined ? {} : { uid: user.uid, gid: user.gid }),
  });
}

async function waitReady(url: string, child: ChildProcess, stderr: string[]): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new PostgresServerError('POSTGRES_START_FAILED', `postgres exited: ${stderr.join('')}`);
    }
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1_000 });
    client.on('error', () => {});
    try {
      await client.connect();
      await client.end();
      return;
    } catch {
      await client.end().catch(() => {});
    }
    if (Date.now() > deadline) {
      throw new PostgresServerError('POSTGRES_START_FAILED', `postgres not ready in 30 s: ${stderr.join('')}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
