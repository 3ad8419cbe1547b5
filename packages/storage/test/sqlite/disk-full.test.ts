import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createGroupCommit, isStorageUnavailable } from '../../src/index.js';
import { type Database, openDatabase } from '../../src/sqlite.js';
import { tempDir } from '../tmp-dir.js';

const migrations = [{ id: 1, name: 'rows', sql: 'CREATE TABLE rows (id INTEGER PRIMARY KEY, value TEXT NOT NULL)' }];

/**
 * A full disk, portably: `PRAGMA max_page_count` caps this connection's database at its current size, so a write
 * that needs one more page fails with SQLITE_FULL exactly as it would on a full disk, and raising it is space
 * coming back.
 */
function fillUp(db: Database): void {
  db.pragma('max_page_count = 1');
}

describe('group commit on a full disk', () => {
  let db: Database | undefined;
  afterEach(() => db?.close());

  it('[FAULT-DISK-FULL-503] every item of the transaction a full disk ended is rejected as storage-unavailable, nothing is committed, and the next batch commits once space is back', async () => {
    db = openDatabase({ file: join(tempDir(), 'full.sqlite'), migrations });
    const database = db;
    const inTransaction = database.transaction((fn: () => void) => fn());
    const commit = createGroupCommit({ transaction: (fn) => inTransaction.immediate(fn) });
    const insert = database.prepare<[string]>('INSERT INTO rows (value) VALUES (?)');
    const count = (): number =>
      database.prepare<[], { n: number }>('SELECT count(*) AS n FROM rows').get()?.n ?? Number.NaN;
    fillUp(database);

    const settled = await Promise.allSettled([
      commit.submit(() => insert.run('small')),
      // Needs pages the capped database does not have.
      commit.submit(() => insert.run('x'.repeat(64 * 1024))),
      commit.submit(() => insert.run('after')),
    ]);
    const [first, second] = settled;
    expect(first?.status).toBe('rejected');
    expect(second?.status).toBe('rejected');
    // The first item's own statement succeeded; it learns the failure that ended its transaction, not "no
    // transaction is active".
    expect(first?.status === 'rejected' && isStorageUnavailable(first.reason)).toBe(true);
    expect(second?.status === 'rejected' && isStorageUnavailable(second.reason)).toBe(true);
    // The third ran in a transaction of its own, after the failed one.
    expect(settled[2]?.status).toBe('fulfilled');
    expect(count()).toBe(1);
    expect(database.inTransaction).toBe(false);

    database.pragma('max_page_count = 1073741823');
    await commit.submit(() => insert.run('x'.repeat(64 * 1024)));
    expect(count()).toBe(2);
  });
});
