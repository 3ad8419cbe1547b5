/**
 * `@ema/oauth-server/postgres`: the PostgreSQL implementation of the kit's storage seam for signing keys, and how
 * instances sharing the database agree on them (`postgresKeyCoordination`).
 */
export {
  KEY_REFRESH_DELAY_MS,
  type PostgresKeyCoordination,
  postgresKeyCoordination,
} from './postgres/postgres-key-coordination.js';
export { createPostgresSigningKeyStorage } from './postgres/postgres-signing-key-storage.js';
export { signingKeyMigrations } from './sqlite/sqlite-signing-key-storage.js';
