import { join } from 'node:path';
import { createTestDatabase } from '@ema/postgres-server/test-database';
import type { SqlDatabase } from '@ema/storage';
import { openPostgresDatabase } from '@ema/storage/postgres';
import { openDatabase } from '@ema/storage/sqlite';
import { afterEach, describe, expect, it } from 'vitest';
import { KeyStore } from '../../src/index.js';
import { createPostgresSigningKeyStorage } from '../../src/postgres.js';
import { createSqliteSigningKeyStorage, signingKeyMigrations } from '../../src/sqlite.js';
import { tempDir } from '../tmp-dir.js';

type Connection = SqlDatabase & { close(): void };
const open: Connection[] = [];
afterEach(() => {
  for (const db of open.splice(0)) db.close();
});

/** Each store, as two instances of one role sharing it. */
const STORES = [
  {
    name: 'SQLite',
    async twoInstances() {
      const file = join(tempDir(), 'keys.sqlite');
      const [a, b] = [0, 1].map(() => openDatabase({ file, migrations: signingKeyMigrations }));
      if (a === undefined || b === undefined) throw new Error('unreachable');
      open.push(a, b);
      return [createSqliteSigningKeyStorage(a), createSqliteSigningKeyStorage(b)] as const;
    },
  },
  {
    name: 'PostgreSQL',
    async twoInstances() {
      const url = await createTestDatabase('keys');
      const [a, b] = [0, 1].map(() => openPostgresDatabase({ url, schema: 'ras', migrations: signingKeyMigrations }));
      if (a === undefined || b === undefined) throw new Error('unreachable');
      open.push(a, b);
      return [createPostgresSigningKeyStorage(a), createPostgresSigningKeyStorage(b)] as const;
    },
  },
];

describe.each(STORES)('$name signing-key storage', (store) => {
  it('is shared by every instance: the second publishes the JWKS the first made, and a rotation reaches both', async () => {
    const [first, second] = await store.twoInstances();
    const a = await KeyStore.open({ storage: first, retentionSeconds: 60 });
    const b = await KeyStore.open({ storage: second, retentionSeconds: 60 });
    expect(b.jwks()).toEqual(a.jwks());
    expect(second.list().map((key) => key.kid)).toEqual(first.list().map((key) => key.kid));
  });

  it('activates and retires a key once, whichever instance asks first', async () => {
    const [first, second] = await store.twoInstances();
    const a = await KeyStore.open({ storage: first, retentionSeconds: 60 });
    const next = first.list().find((key) => key.activatedAt === null);
    expect(next).toBeDefined();
    const kid = next?.kid ?? '';
    first.activate(kid, 1_000);
    second.activate(kid, 2_000);
    second.retire(kid, 3_000);
    first.retire(kid, 4_000);
    const stored = second.list().find((key) => key.kid === kid);
    expect([stored?.activatedAt, stored?.retiredAt]).toEqual([1_000, 3_000]);
    expect(a.jwks().keys.length).toBeGreaterThan(0);
  });
});
