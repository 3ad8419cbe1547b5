import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { PostgresServerError } from './errors.js';

/** Where the Debian and Ubuntu packages put each major version's server binaries. */
const DEBIAN_ROOT = '/usr/lib/postgresql';

/**
 * The folder holding `initdb` and `postgres`: `EMA_POSTGRES_BIN` when set, else the newest major version under
 * `/usr/lib/postgresql/<major>/bin` (the Debian `postgresql` package), else any `initdb` on `PATH`.
 * Throws `POSTGRES_BINARIES_MISSING` with the install command: tests never skip for want of the server.
 */
export function findPostgresBinaries(env: NodeJS.ProcessEnv = process.env): string {
  const explicit = env.EMA_POSTGRES_BIN;
  if (explicit !== undefined && explicit !== '') {
    if (hasServer(explicit)) return explicit;
    throw new PostgresServerError(
      'POSTGRES_BINARIES_MISSING',
      `EMA_POSTGRES_BIN=${explicit} holds no initdb and postgres`,
    );
  }
  if (existsSync(DEBIAN_ROOT)) {
    const majors = readdirSync(DEBIAN_ROOT)
      .filter((name) => /^\d+$/.test(name))
      .sort((a, b) => Number(b) - Number(a));
    for (const major of majors) {
      const bin = join(DEBIAN_ROOT, major, 'bin');
      if (hasServer(bin)) return bin;
    }
  }
  for (const dir of (env.PATH ?? '').split(':')) {
    if (dir !== '' && hasServer(dir)) return dir;
  }
  throw new PostgresServerError(
    'POSTGRES_BINARIES_MISSING',
    'no PostgreSQL server binaries found (install them: apt-get install -y postgresql, or set EMA_POSTGRES_BIN)',
  );
}

function hasServer(dir: string): boolean {
  return existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'postgres'));
}
