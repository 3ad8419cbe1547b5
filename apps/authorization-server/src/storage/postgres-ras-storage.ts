/**
 * The RAS on PostgreSQL (`RAS_DATABASE_URL`): several instances share one database, in schema `ras`. Single use and
 * rotation are one statement each on the shared tables (see the stores); what each instance keeps in memory (the
 * registry caches, the signing keys) follows the others' commits through `LISTEN`/`NOTIFY`.
 */
import { createPostgresSigningKeyStorage, postgresKeyCoordination } from '@ema/oauth-server/postgres';
import { createPostgresAuditLog, openPostgresDatabase, watchPostgresCommits } from '@ema/storage/postgres';
import { REGISTRY_TABLES } from './cached-registry.js';
import { assembleRasStorage, RAS_MIGRATIONS, type RasStorage } from './ras-storage.js';

/** Every table whose commits the other instances must hear of: the cached registry and the signing keys. */
const WATCHED_TABLES: readonly string[] = ['signing_keys', ...REGISTRY_TABLES];

/** Where and how to open the RAS's PostgreSQL store. */
export interface PostgresRasStorageOptions {
  /** `postgres://…`: a secret-bearing value, never logged. */
  url: string;
  /** Default `ras`; the tests give each suite its own. */
  schema?: string;
  /** The audit log's clock (epoch milliseconds). */
  now?: () => number;
}

/** Opens (migrating under an advisory lock, so instances may boot together) the RAS's PostgreSQL store. */
export async function openPostgresRasStorage(options: PostgresRasStorageOptions): Promise<RasStorage> {
  const db = openPostgresDatabase({
    url: options.url,
    schema: options.schema ?? 'ras',
    migrations: RAS_MIGRATIONS,
    applicationName: 'ema-authorization-server',
  });
  try {
    const watch = await watchPostgresCommits(db, WATCHED_TABLES);
    // Held while the signing keys are first made or rotated.
    const keys = postgresKeyCoordination(db, watch.watch, 'ema.ras.signing_keys');
    return assembleRasStorage(db, {
      store: 'postgres',
      commits: watch.watch,
      signingKeys: createPostgresSigningKeyStorage(db),
      audit: createPostgresAuditLog(db, options.now === undefined ? {} : { now: options.now }),
      withKeyLock: keys.withKeyLock,
      followKeyChanges: keys.followKeyChanges,
      close: async () => {
        keys.stop();
        await watch.stop();
        db.close();
      },
    });
  } catch (error) {
    db.close();
    throw error;
  }
}
