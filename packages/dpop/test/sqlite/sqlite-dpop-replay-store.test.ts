import { createTestDatabase } from '@ema/postgres-server/test-database';
import { openPostgresDatabase } from '@ema/storage/postgres';
import { openDatabase } from '@ema/storage/sqlite';
import { describe, expect, it } from 'vitest';
import { createSqliteDpopReplayStore, dpopReplayMigrations } from '../../src/sqlite.js';

let schemas = 0;
const openPostgres = async () => {
  const url = await createTestDatabase('dpop');
  schemas += 1;
  const schema = `dpop_${process.pid}_${schemas}`;
  return { url, schema, db: openPostgresDatabase({ url, schema, migrations: dpopReplayMigrations }) };
};

const STORES = [
  { name: 'SQLite', open: async () => openDatabase({ file: ':memory:', migrations: dpopReplayMigrations }) },
  { name: 'PostgreSQL', open: async () => (await openPostgres()).db },
];

describe.each(STORES)('createSqliteDpopReplayStore on $name', ({ open }) => {
  it('[DPOP-PROOF-REPLAY] records (jkt, jti) once, durably, and purges entries whose window closed', async () => {
    const db = await open();
    const store = createSqliteDpopReplayStore(db);
    expect(store.consume({ jkt: 'k1', jti: 'a', exp: 100 }, 1)).toBe(true);
    expect(store.consume({ jkt: 'k1', jti: 'a', exp: 100 }, 2)).toBe(false);
    // Another key's jti is its own: one client cannot spend another's.
    expect(store.consume({ jkt: 'k2', jti: 'a', exp: 200 }, 3)).toBe(true);
    expect(store.purgeExpiredBefore(150)).toBe(1);
    expect(store.consume({ jkt: 'k2', jti: 'a', exp: 200 }, 4)).toBe(false);
    db.close();
  });
});

describe('two instances sharing one PostgreSQL database', () => {
  it('[DPOP-PG-REPLAY] a proof spent through one connection is refused through the other', async () => {
    const { url, schema, db } = await openPostgres();
    const other = openPostgresDatabase({ url, schema, migrations: dpopReplayMigrations });
    const [first, second] = [createSqliteDpopReplayStore(db), createSqliteDpopReplayStore(other)];
    const proof = { jkt: 'k1', jti: 'shared', exp: 100 };
    expect([first.consume(proof, 1), second.consume(proof, 1)]).toEqual([true, false]);
    db.close();
    other.close();
  });
});
