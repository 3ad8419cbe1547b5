import { join } from 'node:path';
import { mintAccessToken, verifyAccessToken } from '@ema/jwt';
import { type Database, openDatabase } from '@ema/storage/sqlite';
import { calculateJwkThumbprint, decodeProtectedHeader } from 'jose';
import { describe, expect, it } from 'vitest';
import { KeyStore } from '../../src/index.js';
import { createSqliteSigningKeyStorage, signingKeyMigrations } from '../../src/sqlite.js';
import { tempDir } from '../tmp-dir.js';

const RETENTION_SECONDS = 900;

function openKeys(file: string): Database {
  return openDatabase({ file, migrations: signingKeyMigrations });
}

async function sign(store: KeyStore, nowSeconds: number): Promise<string> {
  return mintAccessToken(
    {
      iss: 'https://as.example',
      sub: 'alice',
      aud: 'https://rs.example/mcp',
      client_id: 'c',
      scope: 'read',
      jti: 'j1',
      iat: nowSeconds,
      exp: nowSeconds + 60,
    },
    store.signer(),
  );
}

async function verify(store: KeyStore, token: string, nowSeconds: number) {
  return verifyAccessToken(token, {
    algorithms: ['ES256'],
    issuer: 'https://as.example',
    audience: 'https://rs.example/mcp',
    keys: store.keys(),
    currentDate: new Date(nowSeconds * 1000),
  });
}

function kids(store: KeyStore): string[] {
  return store
    .jwks()
    .keys.map((key) => key.kid ?? '')
    .sort();
}

describe('KeyStore', () => {
  it('[KIT-RFC7638-KID] generates an ES256 key whose kid is its RFC 7638 thumbprint', async () => {
    const db = openKeys(':memory:');
    const store = await KeyStore.open({ storage: createSqliteSigningKeyStorage(db), retentionSeconds: 60 });
    const signer = store.signer();
    expect(signer.alg).toBe('ES256');
    const jwk = store.jwks().keys.find((key) => key.kid === signer.kid);
    expect(jwk).toBeDefined();
    expect(jwk?.kid).toBe(signer.kid);
    expect(await calculateJwkThumbprint(jwk ?? {}, 'sha256')).toBe(signer.kid);
    db.close();
  });

  it('[KIT-RFC7517-5-PUBLIC-ONLY] publishes only public members in the JWKS', async () => {
    const db = openKeys(':memory:');
    const store = await KeyStore.open({ storage: createSqliteSigningKeyStorage(db), retentionSeconds: 60 });
    const { keys } = store.jwks();
    expect(keys).toHaveLength(2);
    for (const jwk of keys) {
      expect(Object.keys(jwk).sort()).toEqual(['alg', 'crv', 'kid', 'kty', 'use', 'x', 'y']);
      expect(jwk).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256', use: 'sig' });
    }
    db.close();
  });

  it('[KIT-PROFILE-KEYS-PERSISTED] reloads the same key after reopening the same file', async () => {
    const file = join(tempDir(), 'keys.db');
    const first = openKeys(file);
    const before = await KeyStore.open({ storage: createSqliteSigningKeyStorage(first), retentionSeconds: 60 });
    const token = await sign(before, Math.floor(Date.now() / 1000));
    first.close();

    const second = openKeys(file);
    const after = await KeyStore.open({ storage: createSqliteSigningKeyStorage(second), retentionSeconds: 60 });
    expect(after.signer().kid).toBe(before.signer().kid);
    expect(after.jwks()).toEqual(before.jwks());
    await expect(verify(after, token, Math.floor(Date.now() / 1000))).resolves.toBeDefined();
    second.close();
  });

  it('[KIT-PROFILE-KEY-ROTATION] keeps the retired key published until retention passes, then prunes it', async () => {
    let now = 1_700_000_000_000;
    const file = join(tempDir(), 'keys.db');
    const db = openKeys(file);
    const storage = createSqliteSigningKeyStorage(db);
    const store = await KeyStore.open({ storage, retentionSeconds: RETENTION_SECONDS, now: () => now });
    const oldKid = store.signer().kid;
    const prePublishedKid = store.nextKid();
    const oldToken = await sign(store, now / 1000);

    now += 1000;
    const rotated = await store.rotate();
    expect(rotated.retiredKid).toBe(oldKid);
    expect(rotated.kid).toBe(prePublishedKid);
    const newNextKid = store.nextKid();

    // The signer switches to the (pre-published) new key at once; the old public key stays published.
    const newToken = await sign(store, now / 1000);
    expect(decodeProtectedHeader(newToken).kid).toBe(rotated.kid);
    expect(kids(store)).toEqual([oldKid, rotated.kid, newNextKid].sort());
    await expect(verify(store, oldToken, now / 1000)).resolves.toBeDefined();
    await expect(verify(store, newToken, now / 1000)).resolves.toBeDefined();

    // The retirement survives a restart.
    const reopened = await KeyStore.open({ storage, retentionSeconds: RETENTION_SECONDS, now: () => now });
    expect(reopened.signer().kid).toBe(rotated.kid);
    expect(reopened.nextKid()).toBe(newNextKid);
    expect(kids(reopened)).toEqual([oldKid, rotated.kid, newNextKid].sort());

    now += RETENTION_SECONDS * 1000 - 1;
    expect(store.jwks().keys).toHaveLength(3);
    now += 1;
    expect(kids(store)).toEqual([rotated.kid, newNextKid].sort());
    expect(
      storage
        .list()
        .map((key) => key.kid)
        .sort(),
    ).toEqual([rotated.kid, newNextKid].sort());
    await expect(verify(store, oldToken, now / 1000 - 60)).rejects.toMatchObject({ code: 'ERR_JWKS_NO_MATCHING_KEY' });
    db.close();
  });

  it('keeps the cached JWKS object identical between calls (no work on the hot path)', async () => {
    const db = openKeys(':memory:');
    const store = await KeyStore.open({ storage: createSqliteSigningKeyStorage(db), retentionSeconds: 60 });
    expect(store.jwks()).toBe(store.jwks());
    expect(store.signer()).toBe(store.signer());
    expect(store.keys()).toBe(store.keys());
    db.close();
  });

  it('serializes concurrent rotations and keeps exactly one active key', async () => {
    const db = openKeys(':memory:');
    const storage = createSqliteSigningKeyStorage(db);
    const store = await KeyStore.open({ storage, retentionSeconds: 60 });
    const [a, b] = await Promise.all([store.rotate(), store.rotate()]);
    expect(b.retiredKid).toBe(a.kid);
    const unretired = storage.list().filter((key) => key.retiredAt === null);
    expect(unretired.filter((key) => key.activatedAt !== null).map((key) => key.kid)).toEqual([b.kid]);
    expect(unretired.filter((key) => key.activatedAt === null).map((key) => key.kid)).toEqual([store.nextKid()]);
    expect(store.signer().kid).toBe(b.kid);
    db.close();
  });

  it('resolves an interrupted rotation at open: the newest active key signs, the other is retired', async () => {
    const db = openKeys(':memory:');
    const storage = createSqliteSigningKeyStorage(db);
    const first = await KeyStore.open({ storage, retentionSeconds: 60, now: () => 1000 });
    const second = await KeyStore.open({
      storage: { ...storage, list: () => [] },
      retentionSeconds: 60,
      now: () => 2000,
    });
    const store = await KeyStore.open({ storage, retentionSeconds: 60, now: () => 3000 });
    expect(store.signer().kid).toBe(second.signer().kid);
    expect(storage.list().find((key) => key.kid === first.signer().kid)?.retiredAt).toBe(3000);
    db.close();
  });

  it('refuses a negative retention', async () => {
    const db = openKeys(':memory:');
    await expect(
      KeyStore.open({ storage: createSqliteSigningKeyStorage(db), retentionSeconds: -1 }),
    ).rejects.toBeInstanceOf(RangeError);
    db.close();
  });
});
