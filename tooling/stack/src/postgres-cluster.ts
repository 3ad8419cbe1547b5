/**
 * A PostgreSQL cluster on this machine for the scaled stack: where the server binaries are, which account runs them,
 * and `initdb` into a data directory. `@ema/postgres-server` does the same for throwaway test servers; the launcher
 * keeps its own copy because it runs from its build under plain Node, where that source-only package cannot load.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Environment } from './environment.js';
import { StackError } from './errors.js';
import type { RunAs } from './process-spec.js';

/** Where the Debian and Ubuntu packages put each major version's server binaries. */
const DEBIAN_ROOT = '/usr/lib/postgresql';

/** The superuser `initdb` creates; the apps connect as it (trust, on loopback only). */
export const POSTGRES_SUPERUSER = 'postgres';

/**
 * The folder holding `initdb`, `postgres` and `pg_isready`: `EMA_POSTGRES_BIN`, else the newest
 * `/usr/lib/postgresql/<major>/bin` (Debian's `postgresql` package), else `PATH`. Throws `MISSING_PROGRAM` with the
 * install command.
 */
export function postgresBinaries(env: Environment): string {
  const explicit = env.EMA_POSTGRES_BIN;
  if (explicit) {
    if (hasServer(explicit)) return explicit;
    throw new StackError('MISSING_PROGRAM', `EMA_POSTGRES_BIN=${explicit} holds no initdb and postgres`);
  }
  const majors = existsSync(DEBIAN_ROOT)
    ? readdirSync(DEBIAN_ROOT)
        .filter((name) => /^\d+$/.test(name))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  const candidates = [...majors.map((major) => join(DEBIAN_ROOT, major, 'bin')), ...(env.PATH ?? '').split(':')];
  const found = candidates.find((dir) => dir !== '' && hasServer(dir));
  if (found !== undefined) return found;
  throw new StackError(
    'MISSING_PROGRAM',
    'no PostgreSQL server found: install it (apt-get install -y postgresql) or set EMA_POSTGRES_BIN',
  );
}

function hasServer(dir: string): boolean {
  return existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'postgres'));
}

/**
 * The account to run PostgreSQL as: `undefined` when this process is not root, else `postgres` (the Debian
 * package's) or `nobody`. PostgreSQL refuses to run as root, and CI runs as root.
 */
export function postgresAccount(passwd = '/etc/passwd'): RunAs | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const accounts = new Map<string, RunAs>();
  for (const line of readFileSync(passwd, 'utf8').split('\n')) {
    const [name, , uid, gid] = line.split(':');
    if (name && uid && gid) accounts.set(name, { name, uid: Number(uid), gid: Number(gid) });
  }
  const account = ['postgres', 'nobody'].map((name) => accounts.get(name)).find((found) => found && found.uid !== 0);
  if (account === undefined) {
    throw new StackError(
      'MISSING_PROGRAM',
      'running as root, and neither postgres nor nobody exists to run PostgreSQL',
    );
  }
  return account;
}

/**
 * Creates the cluster in `dataDir` unless one is there (its `PG_VERSION`), owned by `runAs` (its parent folder then
 * gets search permission for others, so that the account can reach it): UTF-8, the C locale,
 * the superuser `postgres`, and trust authentication, which the server grants only on the loopback address it
 * listens on. Throws `INITDB_FAILED` with initdb's output.
 */
export function initPostgresCluster(dataDir: string, binaries: string, runAs: RunAs | undefined): void {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  if (runAs !== undefined) {
    chownSync(dataDir, runAs.uid, runAs.gid);
    // The account must pass through the parent folder to reach its own (a temporary data root is 0700): search
    // permission for others, not read, so it still cannot list what else is there.
    const parent = dirname(dataDir);
    const { mode } = statSync(parent);
    if ((mode & 0o001) === 0) chmodSync(parent, (mode & 0o7777) | 0o001);
  }
  if (existsSync(join(dataDir, 'PG_VERSION'))) return;
  const args = ['-D', dataDir, '-U', POSTGRES_SUPERUSER, '--encoding=UTF8', '--locale=C', '--auth=trust'];
  const result = spawnSync(join(binaries, 'initdb'), args, {
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', HOME: tmpdir(), LC_ALL: 'C' },
    ...(runAs === undefined ? {} : { uid: runAs.uid, gid: runAs.gid }),
  });
  if (result.status !== 0) {
    throw new StackError(
      'INITDB_FAILED',
      `initdb of ${dataDir} failed (${result.error?.message ?? `exit ${result.status}`}): ${result.stderr}`,
    );
  }
}
