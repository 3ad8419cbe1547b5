import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type Database, openDatabase, startWalCheckpointer, type WalCheckpointer } from '../../src/sqlite.js';

describe('startWalCheckpointer', () => {
  let dir: string | undefined;
  let db: Database | undefined;
  let checkpointer: WalCheckpointer | undefined;
  afterEach(async () => {
    await checkpointer?.stop();
    db?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = db = checkpointer = undefined;
  });

  it('[KIT-WAL-BOUNDED] keeps the WAL bounded under sustained writes, and the request connection never checkpoints', async () => {
    dir = mkdtempSync(join(tmpdir(), 'kit-wal-'));
    const file = join(dir, 'kit.sqlite');
    db = openDatabase({
      file,
      migrations: [{ id: 1, name: 'rows', sql: 'CREATE TABLE rows (id INTEGER PRIMARY KEY, data TEXT NOT NULL)' }],
    });
    checkpointer = startWalCheckpointer(db, file, 50);
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
    const insert = db.prepare('INSERT INTO rows (data) VALUES (?)');
    const batch = db.transaction(() => {
      for (let i = 0; i < 4; i += 1) insert.run('x'.repeat(1000));
    });
    // Two seconds of a busy server: a group commit of a few records, a fraction of a millisecond of other work, again.
    // Without restarts that is tens of megabytes of WAL frames; a commit lands during every PASSIVE checkpoint.
    let largestWal = 0;
    const end = performance.now() + 2000;
    while (performance.now() < end) {
      batch.immediate();
      const busyUntil = performance.now() + 0.2;
      while (performance.now() < busyUntil) {
        // the request work between two commits
      }
      largestWal = Math.max(largestWal, statSync(`${file}-wal`).size);
    }
    expect(db.prepare('SELECT count(*) AS n FROM rows').get()).toMatchObject({ n: expect.any(Number) });
    expect(largestWal).toBeLessThan(16 * 1024 * 1024);
  });
});
