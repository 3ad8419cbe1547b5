import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createGroupCommit, type GroupCommit } from '../../src/index.js';
import { type Database, openDatabase } from '../../src/sqlite.js';
import { tempDir } from '../tmp-dir.js';

// A row whose value is 'poison' is refused by a trigger, as a constraint would refuse one request's write.
const migrations = [
  {
    id: 1,
    name: 'rows',
    sql: `CREATE TABLE parents (id INTEGER PRIMARY KEY);
      CREATE TABLE rows (id INTEGER PRIMARY KEY, value TEXT NOT NULL,
        parent INTEGER REFERENCES parents (id) DEFERRABLE INITIALLY DEFERRED);
      CREATE TRIGGER rows_refuse_poison BEFORE INSERT ON rows WHEN NEW.value = 'poison'
      BEGIN SELECT RAISE(ABORT, 'poisoned row'); END;`,
  },
];

describe('group commit over SQLite', () => {
  let db: Database | undefined;
  afterEach(() => db?.close());

  /** A file database and a group commit over it, wired as the apps wire it (better-sqlite3 transaction functions). */
  function open(): { db: Database; commit: GroupCommit; insert: (value: string, parent?: number) => void } {
    const opened = openDatabase({ file: join(tempDir(), 'group-commit.sqlite'), migrations });
    db = opened;
    const inTransaction = opened.transaction((fn: () => void) => fn());
    const commit = createGroupCommit({ transaction: (fn) => inTransaction.immediate(fn) });
    const statement = opened.prepare<[string, number | null]>('INSERT INTO rows (value, parent) VALUES (?, ?)');
    return { db: opened, commit, insert: (value, parent) => statement.run(value, parent ?? null) };
  }

  const values = (database: Database): string[] =>
    database
      .prepare<[], { value: string }>('SELECT value FROM rows ORDER BY id')
      .all()
      .map((row) => row.value);

  it('[STORAGE-GROUP-COMMIT-ITEM-ALONE] of several concurrent items, the one that fails is rolled back alone (its earlier statements too) and the others commit', async () => {
    const { db: database, commit, insert } = open();
    const settled = await Promise.allSettled([
      commit.submit(() => insert('a')),
      commit.submit(() => insert('b')),
      commit.submit(() => {
        insert('c, written before the failure');
        insert('poison');
      }),
      commit.submit(() => insert('d')),
      commit.submit(() => insert('e')),
    ]);
    expect(settled.map((result) => result.status)).toEqual([
      'fulfilled',
      'fulfilled',
      'rejected',
      'fulfilled',
      'fulfilled',
    ]);
    const failed = settled[2];
    expect(failed?.status === 'rejected' && String(failed.reason)).toMatch(/poisoned row/);
    expect(values(database)).toEqual(['a', 'b', 'd', 'e']);
    expect(database.inTransaction).toBe(false);
  });

  it('[STORAGE-GROUP-COMMIT-ITEM-ALONE] when the COMMIT itself fails, every item of the batch rejects and nothing is committed', async () => {
    const { db: database, commit, insert } = open();
    // A deferred foreign key is checked at COMMIT: the batch's COMMIT fails, after every item ran successfully.
    const settled = await Promise.allSettled([
      commit.submit(() => insert('a')),
      commit.submit(() => insert('orphan', 42)),
      commit.submit(() => insert('c')),
    ]);
    expect(settled.map((result) => result.status)).toEqual(['rejected', 'rejected', 'rejected']);
    expect(values(database)).toEqual([]);
    expect(database.inTransaction).toBe(false);
    // The queue keeps working.
    await commit.submit(() => insert('after'));
    expect(values(database)).toEqual(['after']);
  });

  it('[STORAGE-GROUP-COMMIT-ITEM-ALONE] when a failing item ends the whole transaction (as SQLITE_FULL may), no later item runs outside a transaction', async () => {
    const { db: database, commit, insert } = open();
    const settled = await Promise.allSettled([
      commit.submit(() => insert('a')),
      commit.submit(() => {
        // SQLite rolls the whole transaction back on some errors; this item does it by hand, then fails.
        database.exec('ROLLBACK');
        throw new Error('database or disk is full');
      }),
      commit.submit(() => {
        expect(database.inTransaction).toBe(true);
        insert('c');
      }),
    ]);
    // 'a' ran in the transaction that was lost: it must not be reported as committed.
    expect(settled.map((result) => result.status)).toEqual(['rejected', 'rejected', 'fulfilled']);
    expect(values(database)).toEqual(['c']);
  });
});
