import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';

declare module 'vitest' {
  export interface ProvidedContext {
    /** URL of the `postgres` database of the run's throwaway server (see `@ema/postgres-server/test-database`). */
    emaPostgresUrl: string;
  }
}

/**
 * A fresh, empty database on the run's throwaway server (see `./vitest-global-setup`), returned as a URL: each
 * suite gets its own so that stores under test never see one another's rows.
 */
export async function createTestDatabase(prefix = 'test'): Promise<string> {
  const adminUrl = inject('emaPostgresUrl');
  // Never fall back to a default server: a missing global setup is a broken test configuration.
  if (typeof adminUrl !== 'string') {
    throw new Error("no test PostgreSQL server: add '@ema/postgres-server/vitest-global-setup' to globalSetup");
  }
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) throw new RangeError(`not a plain database name: ${name}`);
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
  return adminUrl.replace(/\/postgres$/, `/${name}`);
}

/** A store an app can run on, for `describe.each`: SQLite (files in the app's data directory) or PostgreSQL. */
export interface AppStore {
  readonly name: 'SQLite' | 'PostgreSQL';
  /** The app's `databaseUrl`: none for SQLite, a fresh database (named after `prefix`) for PostgreSQL. */
  databaseUrl(prefix: string): Promise<string | undefined>;
}

/** Both stores, for an app-level suite that must hold on each (the HTTP fuzzing, say). */
export const APP_STORES: readonly AppStore[] = [
  { name: 'SQLite', databaseUrl: async () => undefined },
  { name: 'PostgreSQL', databaseUrl: (prefix) => createTestDatabase(prefix) },
];
