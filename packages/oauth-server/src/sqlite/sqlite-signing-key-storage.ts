import type { Migration, SqlDatabase } from '@ema/storage';
import type { JWK } from 'jose';
import type { SigningKeyStorage, StoredSigningKey } from '../keys/signing-key-storage.js';

/** Creates the `signing_keys` table used by {@link createSqliteSigningKeyStorage}. */
export const signingKeysMigration: Migration = {
  id: 1001,
  name: 'oauth-server: signing_keys',
  sql: `CREATE TABLE signing_keys (
    kid TEXT PRIMARY KEY,
    alg TEXT NOT NULL,
    private_jwk TEXT NOT NULL,
    public_jwk TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    retired_at INTEGER
  )`,
};

/**
 * Adds `activated_at` to `signing_keys` (null = the pre-published next key). Keys written before it all signed
 * from their creation, so they are marked activated at `created_at`; the key store then adds a next key at open.
 */
export const signingKeysNextMigration: Migration = {
  id: 1003,
  name: 'oauth-server: signing_keys_next',
  sql: `ALTER TABLE signing_keys ADD COLUMN activated_at INTEGER;
    UPDATE signing_keys SET activated_at = created_at`,
};

/** Every migration {@link createSqliteSigningKeyStorage} needs, in order: apply them all. */
export const signingKeyMigrations: readonly Migration[] = Object.freeze([
  signingKeysMigration,
  signingKeysNextMigration,
]);

interface SigningKeyRow {
  kid: string;
  alg: string;
  private_jwk: string;
  public_jwk: string;
  created_at: number;
  activated_at: number | null;
  retired_at: number | null;
}

/** Signing-key storage in the `signing_keys` table (apply {@link signingKeyMigrations} first). */
export function createSqliteSigningKeyStorage(db: SqlDatabase): SigningKeyStorage {
  const list = db.prepare<[], SigningKeyRow>('SELECT * FROM signing_keys ORDER BY created_at, kid');
  const insert = db.prepare<[SigningKeyRow]>(
    `INSERT INTO signing_keys (kid, alg, private_jwk, public_jwk, created_at, activated_at, retired_at)
     VALUES (@kid, @alg, @private_jwk, @public_jwk, @created_at, @activated_at, @retired_at)`,
  );
  const activate = db.prepare<[number, string]>(
    'UPDATE signing_keys SET activated_at = ? WHERE kid = ? AND activated_at IS NULL',
  );
  const retire = db.prepare<[number, string]>(
    'UPDATE signing_keys SET retired_at = ? WHERE kid = ? AND retired_at IS NULL',
  );
  const remove = db.prepare<[string]>('DELETE FROM signing_keys WHERE kid = ?');
  return {
    list: () => list.all().map(fromRow),
    insert: (key) => {
      insert.run({
        kid: key.kid,
        alg: key.alg,
        private_jwk: JSON.stringify(key.privateJwk),
        public_jwk: JSON.stringify(key.publicJwk),
        created_at: key.createdAt,
        activated_at: key.activatedAt,
        retired_at: key.retiredAt,
      });
    },
    activate: (kid, at) => {
      activate.run(at, kid);
    },
    retire: (kid, at) => {
      retire.run(at, kid);
    },
    remove: (kid) => {
      remove.run(kid);
    },
  };
}

function fromRow(row: SigningKeyRow): StoredSigningKey {
  return {
    kid: row.kid,
    alg: row.alg,
    privateJwk: JSON.parse(row.private_jwk) as JWK,
    publicJwk: JSON.parse(row.public_jwk) as JWK,
    createdAt: row.created_at,
    activatedAt: row.activated_at,
    retiredAt: row.retired_at,
  };
}
