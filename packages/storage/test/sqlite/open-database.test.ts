import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Migration } from '../../src/index.js';
import { openDatabase } from '../../src/sqlite.js';
import { tempDir } from '../tmp-dir.js';

const widgets: Migration = {
  id: 1,
  name: 'widgets',
  sql: 'CREATE TABLE widgets (id INTEGER PRIMARY KEY, name TEXT NOT NULL)',
};
const widgetsColor: Migration = { id: 2, name: 'widgets color', sql: 'ALTER TABLE widgets ADD COLUMN color TEXT' };
const migrations = [widgets, widgetsColor];

describe('openDatabase', () => {
  it('creates the directory, enables WAL and foreign keys, and applies migrations once', () => {
    const file = join(tempDir(), 'nested', 'dir', 'app.db');
    const first = openDatabase({ file, migrations });
    expect(existsSync(file)).toBe(true);
    expect(first.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(first.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(first.pragma('synchronous', { simple: true })).toBe(1);
    first.prepare('INSERT INTO widgets (name, color) VALUES (?, ?)').run('a', 'red');
    first.close();

    // Re-opening must not re-run the migrations (ALTER TABLE ADD COLUMN would fail the second time).
    const second = openDatabase({ file, migrations });
    expect(second.prepare('SELECT id, name FROM schema_migrations ORDER BY id').all()).toEqual([
      { id: 1, name: 'widgets' },
      { id: 2, name: 'widgets color' },
    ]);
    expect(second.prepare('SELECT name, color FROM widgets').all()).toEqual([{ name: 'a', color: 'red' }]);
    second.close();
  });

  it('applies a new migration added later', () => {
    const file = join(tempDir(), 'app.db');
    openDatabase({ file, migrations: [widgets] }).close();
    const db = openDatabase({ file, migrations });
    expect(db.prepare('SELECT COUNT(*) AS n FROM schema_migrations').get()).toEqual({ n: 2 });
    db.close();
  });

  it('accepts :memory:', () => {
    const db = openDatabase({ file: ':memory:', migrations });
    expect(db.prepare('SELECT COUNT(*) AS n FROM widgets').get()).toEqual({ n: 0 });
    db.close();
  });

  it('refuses duplicate ids, renamed migrations, and rolls back a failing migration', () => {
    expect(() => openDatabase({ file: ':memory:', migrations: [widgets, widgets] })).toThrow(/used twice/);
    const file = join(tempDir(), 'app.db');
    openDatabase({ file, migrations }).close();
    expect(() => openDatabase({ file, migrations: [{ ...widgets, name: 'other' }] })).toThrow(
      /was applied as "widgets"/,
    );
    const broken = join(tempDir(), 'broken.db');
    expect(() =>
      openDatabase({ file: broken, migrations: [...migrations, { id: 3, name: 'bad', sql: 'NOT SQL' }] }),
    ).toThrow();
    const db = openDatabase({ file: broken, migrations: [] });
    expect(db.prepare('SELECT COUNT(*) AS n FROM schema_migrations').get()).toEqual({ n: 0 });
    db.close();
  });
});

describe('openDatabase: rebuilding a parent table', () => {
  const parent: Migration = {
    id: 1,
    name: 'parent and child',
    sql: `CREATE TABLE parent (id TEXT PRIMARY KEY, a TEXT NOT NULL, UNIQUE (a));
      CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id TEXT NOT NULL REFERENCES parent (id) ON DELETE CASCADE);`,
  };
  const rebuild: Migration = {
    id: 2,
    name: 'parent unique on (a, b)',
    sql: `CREATE TABLE parent_new (id TEXT PRIMARY KEY, a TEXT NOT NULL, b TEXT NOT NULL DEFAULT '', UNIQUE (a, b));
      INSERT INTO parent_new (id, a) SELECT id, a FROM parent;
      DROP TABLE parent;
      ALTER TABLE parent_new RENAME TO parent;`,
  };

  it('[STORAGE-MIGRATION-REBUILD] lets a migration rebuild a parent table without cascading into its children', () => {
    const file = join(tempDir(), 'app.db');
    const before = openDatabase({ file, migrations: [parent] });
    before.prepare('INSERT INTO parent (id, a) VALUES (?, ?)').run('p1', 'x');
    before.prepare('INSERT INTO child (parent_id) VALUES (?)').run('p1');
    before.close();
    const after = openDatabase({ file, migrations: [parent, rebuild] });
    expect(after.prepare('SELECT parent_id FROM child').all()).toEqual([{ parent_id: 'p1' }]);
    expect(after.pragma('foreign_keys', { simple: true })).toBe(1);
    const childSql = after.prepare<[], { sql: string }>("SELECT sql FROM sqlite_master WHERE name = 'child'").get();
    expect(childSql?.sql).toContain('REFERENCES parent (id)');
    // The references still hold: deleting the parent cascades, as before the rebuild.
    after.prepare('DELETE FROM parent WHERE id = ?').run('p1');
    expect(after.prepare('SELECT count(*) AS n FROM child').get()).toEqual({ n: 0 });
    after.close();
  });

  it('[STORAGE-MIGRATION-REBUILD] refuses a migration that leaves a reference pointing at no row, applying nothing', () => {
    const file = join(tempDir(), 'app.db');
    const before = openDatabase({ file, migrations: [parent] });
    before.prepare('INSERT INTO parent (id, a) VALUES (?, ?)').run('p1', 'x');
    before.prepare('INSERT INTO child (parent_id) VALUES (?)').run('p1');
    before.close();
    const lossy: Migration = { id: 2, name: 'lossy', sql: 'DELETE FROM parent' };
    expect(() => openDatabase({ file, migrations: [parent, lossy] })).toThrow(/foreign key/);
    const again = openDatabase({ file, migrations: [parent] });
    expect(again.prepare('SELECT id FROM parent').all()).toEqual([{ id: 'p1' }]);
    again.close();
  });
});
