import { openDatabase } from '@ema/storage/sqlite';
import { calculateThumbprint } from 'dpop';
import { describe, expect, it } from 'vitest';
import { createSealer } from '../../src/session/seal.js';
import { createSqliteDpopKeys } from '../../src/storage/dpop-key-store.js';
import { agentHostMigrations } from '../../src/storage/migrations.js';

const SECRET = 'a-session-secret-of-at-least-32-characters';

describe('the DPoP keys of the agent host', () => {
  it('[AGENT-DPOP-KEY-SEALED] keeps one ES256 key per connection, sealed at rest, non-extractable once opened; a new connection gets a new key', async () => {
    const db = openDatabase({ file: ':memory:', migrations: agentHostMigrations });
    const keys = createSqliteDpopKeys(db, createSealer(SECRET), () => 0);
    const first = await keys.keyFor('alice', 'https://mcp.example/mcp');
    expect(first.privateKey.algorithm).toMatchObject({ name: 'ECDSA', namedCurve: 'P-256' });
    expect(first.privateKey.extractable).toBe(false);
    expect(await keys.keyFor('alice', 'https://mcp.example/mcp')).toBe(first);
    const other = await keys.keyFor('alice', 'https://other.example/mcp');
    expect(await calculateThumbprint(other.publicKey)).not.toBe(await calculateThumbprint(first.publicKey));

    // At rest: sealed, the private member nowhere in clear.
    const rows = db.prepare('SELECT private_jwk_sealed FROM dpop_keys').all() as { private_jwk_sealed: string }[];
    expect(rows).toHaveLength(2);
    for (const row of rows) expect(row.private_jwk_sealed).not.toMatch(/"d"|"kty"/);

    // After a restart (a new store on the same database), the same key; under another secret, a new one.
    const reopened = await createSqliteDpopKeys(db, createSealer(SECRET), () => 0).keyFor(
      'alice',
      'https://mcp.example/mcp',
    );
    expect(await calculateThumbprint(reopened.publicKey)).toBe(await calculateThumbprint(first.publicKey));
    const rotated = await createSqliteDpopKeys(db, createSealer(`${SECRET}-rotated`), () => 0).keyFor(
      'alice',
      'https://mcp.example/mcp',
    );
    expect(await calculateThumbprint(rotated.publicKey)).not.toBe(await calculateThumbprint(first.publicKey));

    // A new connection (forget) drops the key; signing out (forget all of the user's) drops every one.
    keys.forget('alice', 'https://other.example/mcp');
    const renewed = await keys.keyFor('alice', 'https://other.example/mcp');
    expect(await calculateThumbprint(renewed.publicKey)).not.toBe(await calculateThumbprint(other.publicKey));
    keys.forget('alice');
    expect(db.prepare('SELECT COUNT(*) AS n FROM dpop_keys').get()).toEqual({ n: 0 });
    db.close();
  });
});
