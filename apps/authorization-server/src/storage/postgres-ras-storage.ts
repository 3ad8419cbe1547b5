/**
 * The RAS on PostgreSQL (`RAS_DATABASE_URL`): several instances share one database, in schema `ras`. Single use and
 * rotation are one statement each on the shared tables (see the stores); what each instance keeps in memory (the
 * registry caches, the signing keys) follows the others' commits through `LISTEN`/`NOTIFY`.
 */
import { createPostgresSigningKeyStorage } from '@ema/oauth-server/postgres';
import { createPostgresAuditLog, openPostgresDatabase, watchPostgresCommits } from '@ema/storage/postgres';
import { REGISTRY_TABLES } from './cached-registry.js';
import { assembleRasStorage, RAS_MIGRATIONS, type RasStorage } from './ras-storage.js';

/** Every table whose commits the other instances must hear of: the cached registry and the signing keys. */
const WATCHED_TABLES: readonly string[] = ['signing_keys', ...REGISTRY_TABLES];

/** Another instance's key rotation reaches this one at most this long after its commit (bursts coalesce). */
export const KEY_REFRESH_DELAY_MS = 200;

// Held while the signing keys are first made or rotated. Tried, not waited for: a wait would block this thread (the
// connection is synchronous), and with it the holder when both are in one process (the tests).
const KEY_LOCK = "SELECT pg_try_advisory_lock(hashtext('ema.ras.signing_keys')) AS locked";
const KEY_LOCK_RETRY_MS = 25;
const KEY_UNLOCK = "SELECT pg_advisory_unlock(hashtext('ema.ras.signing_keys'))";

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
    let scheduled: NodeJS.Timeout | undefined;
    return assembleRasStorage(db, {
      store: 'postgres',
      commits: watch.watch,
      signingKeys: createPostgresSigningKeyStorage(db),
      audit: createPostgresAuditLog(db, options.now === undefined ? {} : { now: options.now }),
      withKeyLock: async (work) => {
        const lock = db.prepare<[], { locked: boolean }>(KEY_LOCK);
        while (lock.get()?.locked !== true) await new Promise((resolve) => setTimeout(resolve, KEY_LOCK_RETRY_MS));
        try {
          return await work();
        } finally {
          db.exec(KEY_UNLOCK);
        }
      },
      followKeyChanges: (onChange) => {
        // A notice does not say which table: any watched commit schedules one re-read of the keys, coalesced.
        watch.watch(() => {
          scheduled ??= setTimeout(() => {
            scheduled = undefined;
            onChange();
          }, KEY_REFRESH_DELAY_MS).unref();
        });
      },
      close: async () => {
        clearTimeout(scheduled);
        await watch.stop();
        db.close();
      },
    });
  } catch (error) {
    db.close();
    throw error;
  }
}
