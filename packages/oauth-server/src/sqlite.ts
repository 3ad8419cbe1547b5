/** `@ema/oauth-server/sqlite`: the SQLite implementation of the kit's storage seam for signing keys. */
export {
  createSqliteSigningKeyStorage,
  signingKeyMigrations,
  signingKeysMigration,
  signingKeysNextMigration,
} from './sqlite/sqlite-signing-key-storage.js';
