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

  it('[KIT-KEYS-SHARED-ROTATION] a rotation on one instance is adopted by the other at refresh; two at once leave one signing key', async () => {
    const [first, second] = await store.twoInstances();
    const a = await KeyStore.open({ storage: first, retentionSeconds: 60 });
    const b = await KeyStore.open({ storage: second, retentionSeconds: 60 });
    const { kid } = await a.rotate();
    expect(b.signer().kid).not.toBe(kid);
    await b.refresh();
    expect([b.signer().kid, b.nextKid()]).toEqual([a.signer().kid, a.nextKid()]);
    expect(b.jwks()).toEqual(a.jwks());
    // Both rotate at once: the conditional activation promotes the shared next key once, and after a refresh both
    // sign with it and pre-publish the same next key.
    await Promise.all([a.rotate(), b.rotate()]);
    await Promise.all([a.refresh(), b.refresh()]);
    expect(b.signer().kid).toBe(a.signer().kid);
    expect(b.nextKid()).toBe(a.nextKid());
    const signing = second.list().filter((key) => key.activatedAt !== null && key.retiredAt === null);
    expect(signing.map((key) => key.kid)).toEqual([a.signer().kid]);
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
