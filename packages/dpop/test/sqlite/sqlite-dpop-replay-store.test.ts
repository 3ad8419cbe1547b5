import { openDatabase } from '@ema/storage/sqlite';
import { describe, expect, it } from 'vitest';
import { createSqliteDpopReplayStore, dpopReplayMigrations } from '../../src/sqlite.js';

describe('createSqliteDpopReplayStore', () => {
  it('[DPOP-PROOF-REPLAY] records (jkt, jti) once, durably, and purges entries whose window closed', () => {
    const db = openDatabase({ file: ':memory:', migrations: dpopReplayMigrations });
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
