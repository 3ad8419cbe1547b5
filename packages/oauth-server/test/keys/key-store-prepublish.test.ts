import { join } from 'node:path';
import { localJwks, mintAccessToken, verifyAccessToken } from '@ema/jwt';
import { type Database, openDatabase } from '@ema/storage/sqlite';
import { decodeProtectedHeader, type JSONWebKeySet } from 'jose';
import { describe, expect, it } from 'vitest';
import { KeyStore } from '../../src/index.js';
import { createSqliteSigningKeyStorage, signingKeyMigrations, signingKeysMigration } from '../../src/sqlite.js';
import { tempDir } from '../tmp-dir.js';

const T0 = 1_700_000_000_000;

function openKeys(file: string): Database {
  return openDatabase({ file, migrations: signingKeyMigrations });
}

async function sign(store: KeyStore, nowMs: number): Promise<string> {
  const iat = Math.floor(nowMs / 1000);
  return mintAccessToken(
    {
      iss: 'https://as.example',
      sub: 'alice',
      aud: 'https://rs.example/mcp',
      client_id: 'c',
      jti: 'j',
      iat,
      exp: iat + 60,
    },
    store.signer(),
  );
}

/** Verifies like a remote verifier holding its own copy of the JWKS (no refetch). */
function verifyWith(jwks: JSONWebKeySet, token: string, nowMs: number) {
  return verifyAccessToken(token, {
    algorithms: ['ES256'],
    issuer: 'https://as.example',
    audience: 'https://rs.example/mcp',
    keys: localJwks(jwks),
    currentDate: new Date(nowMs),
  });
}

describe('KeyStore pre-publication', () => {
  it('[KIT-KEYS-PREPUBLISH] publishes a next key from the first open that is resolvable but never signs', async () => {
    const db = openKeys(':memory:');
    const store = await KeyStore.open({
      storage: createSqliteSigningKeyStorage(db),
      retentionSeconds: 60,
      now: () => T0,
    });
    const nextKid = store.nextKid();
    expect(nextKid).not.toBe(store.signer().kid);
    expect(
      store
        .jwks()
        .keys.map((key) => key.kid)
        .sort(),
    ).toEqual([store.signer().kid, nextKid].sort());
    const token = await sign(store, T0);
    expect(decodeProtectedHeader(token).kid).toBe(store.signer().kid);
    await expect(store.keys()({ alg: 'ES256', kid: nextKid }, { payload: '', signature: '' })).resolves.toBeDefined();
    db.close();
  });

  it('[KIT-KEYS-PREPUBLISH] rotates to exactly the pre-published key: a JWKS fetched before the rotation verifies a token signed after it', async () => {
    let now = T0;
    const db = openKeys(':memory:');
    const store = await KeyStore.open({
      storage: createSqliteSigningKeyStorage(db),
      retentionSeconds: 60,
      now: () => now,
    });
    const cachedByVerifier = structuredClone(store.jwks());
    const prePublished = store.nextKid();

    now += 1000;
    const { kid } = await store.rotate();
    expect(kid).toBe(prePublished);
    const token = await sign(store, now);
    expect(decodeProtectedHeader(token).kid).toBe(prePublished);
    await expect(verifyWith(cachedByVerifier, token, now)).resolves.toBeDefined();
    // A new next key is published at once, ready for the following rotation.
    expect(store.nextKid()).not.toBe(prePublished);
    expect(cachedByVerifier.keys.map((key) => key.kid)).not.toContain(store.nextKid());
    expect(store.jwks().keys.map((key) => key.kid)).toContain(store.nextKid());
    db.close();
  });

  it('[KIT-KEYS-PREPUBLISH] keeps each key role across a reopen (current, next, retired)', async () => {
    let now = T0;
    const file = join(tempDir(), 'keys.db');
    const first = openKeys(file);
    const before = await KeyStore.open({
      storage: createSqliteSigningKeyStorage(first),
      retentionSeconds: 60,
      now: () => now,
    });
    now += 1000;
    const { kid, retiredKid } = await before.rotate();
    const nextKid = before.nextKid();
    first.close();

    const second = openKeys(file);
    const storage = createSqliteSigningKeyStorage(second);
    const after = await KeyStore.open({ storage, retentionSeconds: 60, now: () => now + 1000 });
    expect(after.signer().kid).toBe(kid);
    expect(after.nextKid()).toBe(nextKid);
    const roles = Object.fromEntries(storage.list().map((key) => [key.kid, [key.activatedAt, key.retiredAt]]));
    expect(roles).toEqual({ [retiredKid]: [T0, T0 + 1000], [kid]: [T0 + 1000, null], [nextKid]: [null, null] });
    second.close();
  });

  it('[KIT-KEYS-PREPUBLISH] upgrades a store written without a next key: the old key keeps signing, a next key is added', async () => {
    const file = join(tempDir(), 'keys.db');
    // A data dir written by the earlier version: only migration 1001, one key, no activated_at column.
    const legacy = openDatabase({ file, migrations: [signingKeysMigration] });
    const seedStorage = createSqliteSigningKeyStorage(openKeys(':memory:'));
    const seed = await KeyStore.open({ storage: seedStorage, retentionSeconds: 60 });
    const key = seedStorage.list().find((stored) => stored.kid === seed.signer().kid);
    legacy
      .prepare(
        'INSERT INTO signing_keys (kid, alg, private_jwk, public_jwk, created_at, retired_at) VALUES (?, ?, ?, ?, ?, NULL)',
      )
      .run(key?.kid, 'ES256', JSON.stringify(key?.privateJwk), JSON.stringify(key?.publicJwk), T0);
    const tokenBeforeUpgrade = await sign(seed, T0);
    legacy.close();

    const db = openKeys(file);
    const storage = createSqliteSigningKeyStorage(db);
    const store = await KeyStore.open({ storage, retentionSeconds: 60, now: () => T0 + 1000 });
    expect(store.signer().kid).toBe(key?.kid);
    expect(store.nextKid()).not.toBe(key?.kid);
    expect(storage.list().find((stored) => stored.kid === key?.kid)?.activatedAt).toBe(T0);
    await expect(verifyWith(store.jwks(), tokenBeforeUpgrade, T0 + 1000)).resolves.toBeDefined();
    const { kid } = await store.rotate();
    expect(kid).not.toBe(key?.kid);
    db.close();
  });

  it('resolves a rotation interrupted after the new next key was inserted: the longest-published next key is kept', async () => {
    const db = openKeys(':memory:');
    const storage = createSqliteSigningKeyStorage(db);
    const first = await KeyStore.open({ storage, retentionSeconds: 60, now: () => T0 });
    const currentKid = first.signer().kid;
    const nextKid = first.nextKid();
    // Simulate the interruption: a second next key, created later, and nothing else.
    const stray = await KeyStore.open({
      storage: { ...storage, list: () => [] },
      retentionSeconds: 60,
      now: () => T0 + 500,
    });
    storage.remove(stray.signer().kid);

    const store = await KeyStore.open({ storage, retentionSeconds: 60, now: () => T0 + 1000 });
    expect(store.signer().kid).toBe(currentKid);
    expect(store.nextKid()).toBe(nextKid);
    expect(
      storage
        .list()
        .map((key) => key.kid)
        .sort(),
    ).toEqual([currentKid, nextKid].sort());
    db.close();
  });
});
