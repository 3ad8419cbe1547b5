import type { PostgresDatabase } from '@ema/storage/postgres';
import type { SigningKeyStorage } from '../keys/signing-key-storage.js';
import { createSqliteSigningKeyStorage } from '../sqlite/sqlite-signing-key-storage.js';

/**
 * Signing-key storage on PostgreSQL: the same table and queries as SQLite's (apply `signingKeyMigrations`). Every
 * instance reads the keys from the one table, so all publish the same JWKS; activation and retirement are
 * conditional updates (`… WHERE activated_at IS NULL`), so two instances doing the same step change the row once.
 */
export function createPostgresSigningKeyStorage(db: PostgresDatabase): SigningKeyStorage {
  return createSqliteSigningKeyStorage(db);
}
