/** `@ema/oauth-server/postgres`: the PostgreSQL implementation of the kit's storage seam for signing keys. */
export { createPostgresSigningKeyStorage } from './postgres/postgres-signing-key-storage.js';
export { signingKeyMigrations } from './sqlite/sqlite-signing-key-storage.js';
