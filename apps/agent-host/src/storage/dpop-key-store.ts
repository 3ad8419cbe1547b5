/**
 * The agent host's DPoP keys (RFC 9449), one ES256 key per connection (user, MCP server), as the `DpopKeys` seam of
 * `@ema/ema-client`: the private key is kept sealed in SQLite like the IdP tokens, and in memory as a non-extractable
 * WebCrypto key once opened. A new connection (`EmaClient.forget`) drops the key, so each connection has its own.
 */
import type { webcrypto } from 'node:crypto';
import { type DpopKeyPair, type DpopKeys, generateDpopKeyPair } from '@ema/ema-client';
import type { Database } from '@ema/storage/sqlite';
import type { Sealer } from '../session/seal.js';

type JsonWebKey = webcrypto.JsonWebKey;

const ES256 = { name: 'ECDSA', namedCurve: 'P-256' } as const;

/** Builds the key store over the agent host's database and sealer. */
export function createSqliteDpopKeys(db: Database, sealer: Sealer, now: () => number): DpopKeys {
  const opened = new Map<string, Promise<DpopKeyPair>>();
  const find = db.prepare<[string, string], { private_jwk_sealed: string }>(
    'SELECT private_jwk_sealed FROM dpop_keys WHERE user_key = ? AND server_url = ?',
  );
  const insert = db.prepare(
    `INSERT INTO dpop_keys (user_key, server_url, private_jwk_sealed, created_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (user_key, server_url) DO UPDATE SET private_jwk_sealed = excluded.private_jwk_sealed,
       created_at = excluded.created_at`,
  );
  const removeOne = db.prepare('DELETE FROM dpop_keys WHERE user_key = ? AND server_url = ?');
  const removeAll = db.prepare('DELETE FROM dpop_keys WHERE user_key = ?');

  const load = async (userKey: string, serverUrl: string): Promise<DpopKeyPair> => {
    const row = find.get(userKey, serverUrl);
    const jwk = row === undefined ? undefined : sealer.open(row.private_jwk_sealed);
    // Sealed under a rotated secret, or absent: a new key (the next tokens are bound to it).
    if (jwk !== undefined) return importKeyPair(JSON.parse(jwk) as JsonWebKey);
    const created = await generateDpopKeyPair({ extractable: true });
    const privateJwk = await crypto.subtle.exportKey('jwk', created.privateKey);
    insert.run(userKey, serverUrl, sealer.seal(JSON.stringify(privateJwk)), now());
    return importKeyPair(privateJwk);
  };

  return {
    keyFor(userKey, serverUrl) {
      const id = `${userKey}\n${serverUrl}`;
      let key = opened.get(id);
      if (key === undefined) {
        key = load(userKey, serverUrl);
        opened.set(id, key);
        // A failed load is not remembered: the next request tries again.
        key.catch(() => opened.delete(id));
      }
      return key;
    },
    forget(userKey, serverUrl) {
      if (serverUrl === undefined) {
        removeAll.run(userKey);
        for (const id of opened.keys()) if (id.startsWith(`${userKey}\n`)) opened.delete(id);
        return;
      }
      removeOne.run(userKey, serverUrl);
      opened.delete(`${userKey}\n${serverUrl}`);
    },
  };
}

// The private key is imported non-extractable: once opened, it can sign and nothing else.
async function importKeyPair(privateJwk: JsonWebKey): Promise<DpopKeyPair> {
  const { d: _private, ...publicJwk } = privateJwk;
  const [privateKey, publicKey] = await Promise.all([
    crypto.subtle.importKey('jwk', privateJwk, ES256, false, ['sign']),
    crypto.subtle.importKey('jwk', { ...publicJwk, key_ops: ['verify'] }, ES256, true, ['verify']),
  ]);
  return { privateKey, publicKey };
}
