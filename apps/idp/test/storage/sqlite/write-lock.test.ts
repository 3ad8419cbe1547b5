import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { auditMigrations, openDatabase, sqliteCommitWatch } from '@ema/storage/sqlite';
import { afterEach, describe, expect, it } from 'vitest';
import { createSqliteIdpStorage } from '../../../src/storage/sqlite/create-sqlite-idp-storage.js';
import { idpMigrations } from '../../../src/storage/sqlite/idp-migrations.js';
import { tempDataDir } from '../../support/test-app.js';

// Another connection (another thread: this one must stay free to wait) holds the write lock for `ms`, as the
// checkpointer's RESTART pass or another IdP process sharing the file does.
const HOLDER = `
const { parentPort, workerData } = require('node:worker_threads');
const db = new (require(workerData.driver))(workerData.file);
db.exec('BEGIN IMMEDIATE');
parentPort.postMessage('locked');
Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, workerData.ms);
db.exec('COMMIT');
db.close();
`;

function holdWriteLock(file: string, ms: number): Promise<Worker> {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(HOLDER, { eval: true, workerData: { driver, file, ms } });
  return new Promise((resolve, reject) => {
    worker.once('message', () => resolve(worker));
    worker.once('error', reject);
  });
}

describe('IdP write transactions', () => {
  let worker: Worker | undefined;
  afterEach(async () => {
    await worker?.terminate();
    worker = undefined;
  });

  it('[IDP-WRITE-WAITS-FOR-LOCK] a transaction that reads before it writes waits for another connection’s write lock instead of failing', async () => {
    const file = join(tempDataDir(), 'idp.sqlite');
    const db = openDatabase({ file, migrations: [...auditMigrations, ...idpMigrations] });
    try {
      const storage = createSqliteIdpStorage(db, sqliteCommitWatch(db));
      storage.insertUser({
        id: 'usr_x',
        username: 'x',
        passwordHash: 'x',
        name: 'X',
        email: 'x@acme.example',
        createdAt: 0,
      });
      worker = await holdWriteLock(file, 150);
      const started = Date.now();
      // Reads first (the user), then writes: a deferred BEGIN would have to upgrade mid-way and fail at once.
      const updated = storage.transaction(() => {
        const user = storage.findUserById('usr_x');
        return storage.updateUser('usr_x', { name: `${user?.name ?? ''} Y` });
      });
      expect(updated).toBe(true);
      expect(Date.now() - started).toBeGreaterThanOrEqual(100);
      expect(storage.findUserById('usr_x')?.name).toBe('X Y');
    } finally {
      db.close();
    }
  });
});
