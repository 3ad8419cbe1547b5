/**
 * WAL checkpoints off the request thread. SQLite's automatic checkpoint runs inside the COMMIT that crosses the
 * threshold: it copies the WAL into the database file and fsyncs it, on the one JavaScript thread that also
 * answers requests (about a tenth of a redemption's main-thread time). Here the request connection never
 * checkpoints; a worker thread with its own connection to the same file checkpoints at an interval.
 *
 * Each tick is a PASSIVE checkpoint (it copies what the WAL holds without blocking anyone) followed by a RESTART one.
 * The second matters under sustained load: SQLite starts the WAL over from its beginning only when a checkpoint has
 * copied every frame and no commit came in between, which never happens while commits arrive every millisecond, so
 * with PASSIVE checkpoints alone the WAL grows for as long as the load lasts (about 10 MB/s in the benchmark: 270 MB
 * in 30 s), and every read gets slower as SQLite's index of the WAL grows. RESTART holds new writers back only while
 * it copies the frames committed since the PASSIVE pass and syncs the file (well under a millisecond here), then lets
 * the next commit start the WAL over. A checkpoint never affects what is committed: a transaction is durable once its
 * COMMIT wrote the WAL.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type BetterSqlite3 from 'better-sqlite3';

/** How often the worker checkpoints (milliseconds). */
export const CHECKPOINT_INTERVAL_MS = 200;

/** SQLite's default automatic checkpoint threshold (pages), restored when the worker cannot run. */
const DEFAULT_AUTOCHECKPOINT_PAGES = 1000;

// CommonJS, evaluated in the worker: the driver is loaded by absolute path, so no resolution depends on the cwd.
const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file);
db.pragma('busy_timeout = 1000');
db.pragma('wal_autocheckpoint = 0');
setInterval(() => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
    db.pragma('wal_checkpoint(RESTART)');
  } catch { /* busy: the next tick retries */ }
}, workerData.intervalMs);
`;

/** A running checkpointer; `stop` before closing the request connection. */
export interface WalCheckpointer {
  stop(): Promise<void>;
}

/**
 * Turns off automatic checkpoints on `db` and starts the worker on `file`. If the worker fails, the connection's
 * automatic checkpoints come back on, so the WAL never grows without bound. An in-memory database (`':memory:'`,
 * tests) has no WAL: nothing is started.
 */
export function startWalCheckpointer(
  db: BetterSqlite3.Database,
  file: string,
  intervalMs = CHECKPOINT_INTERVAL_MS,
): WalCheckpointer {
  if (file === ':memory:') return { stop: async () => undefined };
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { driver, file, intervalMs } });
  worker.unref();
  db.pragma('wal_autocheckpoint = 0');
  let stopping = false;
  const fallBack = (): void => {
    if (!stopping && db.open) db.pragma(`wal_autocheckpoint = ${DEFAULT_AUTOCHECKPOINT_PAGES}`);
  };
  worker.on('error', fallBack);
  worker.on('exit', fallBack);
  return {
    stop: async () => {
      stopping = true;
      await worker.terminate();
    },
  };
}
