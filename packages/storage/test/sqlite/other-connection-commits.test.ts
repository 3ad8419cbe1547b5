import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, watchOtherConnectionCommits } from '../../src/sqlite.js';

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('watchOtherConnectionCommits', () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });

  it("reports another connection's commits, not its own, reading at most once per event-loop turn", async () => {
    dir = mkdtempSync(join(tmpdir(), 'kit-data-version-'));
    const file = join(dir, 'kit.sqlite');
    const db = openDatabase({ file, migrations: [{ id: 1, name: 't', sql: 'CREATE TABLE t (v INTEGER)' }] });
    const other = new Database(file);
    try {
      let changes = 0;
      const check = watchOtherConnectionCommits(db, () => {
        changes += 1;
      });
      db.prepare('INSERT INTO t VALUES (1)').run();
      check();
      expect(changes).toBe(0);
      await nextTurn();
      other.prepare('INSERT INTO t VALUES (2)').run();
      check();
      expect(changes).toBe(1);
      // Same turn: not read again, even after another commit; the next turn sees it.
      other.prepare('INSERT INTO t VALUES (3)').run();
      check();
      expect(changes).toBe(1);
      await nextTurn();
      check();
      expect(changes).toBe(2);
    } finally {
      other.close();
      db.close();
    }
  });
});
