import type { TestProject } from 'vitest/node';
import { type PostgresServer, startPostgresServer } from './postgres-server.js';
import type {} from './test-database.js';

let server: PostgresServer | undefined;

/**
 * Vitest global setup: one throwaway PostgreSQL server per test run, its URL provided as `emaPostgresUrl`.
 * Add `'@ema/postgres-server/vitest-global-setup'` to `globalSetup`; a missing server fails the run.
 */
export async function setup(project: TestProject): Promise<void> {
  server = await startPostgresServer();
  project.provide('emaPostgresUrl', server.url);
}

/** Stops the server and removes its data. */
export async function teardown(): Promise<void> {
  await server?.stop();
  server = undefined;
}
