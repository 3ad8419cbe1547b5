/**
 * The SSF Receivers this IdP knows: each an authorization server that may create one event stream, authenticated at
 * the stream management API by a bearer token the IdP issued to it (stored as a SHA-256 hash), and bound to one
 * audience: the `aud` of every SET on its stream (SSF 1.0 §8: the credential associates the Receiver with its
 * streams and `aud`, so a Receiver can neither read another's stream nor choose another audience).
 */
import type { Migration, SqlDatabase } from '@ema/storage';
import { hashOpaqueToken } from '../tokens/opaque-token.js';

/** The `ssf_receivers` table (the IdP's own migration ids start at 100). */
export const ssfReceiversMigration: Migration = {
  id: 140,
  name: 'idp-ssf-receivers',
  sql: `CREATE TABLE ssf_receivers (
    receiver_id TEXT PRIMARY KEY,
    audience TEXT NOT NULL UNIQUE,
    token_hash TEXT NOT NULL UNIQUE,
    description TEXT NOT NULL,
    created_at INTEGER NOT NULL
  )`,
};

/** A registered Receiver (the token itself is never stored). */
export interface SsfReceiverRecord {
  readonly receiverId: string;
  readonly audience: string;
  readonly description: string;
  readonly createdAt: number;
}

/** Receivers on SQLite. */
export interface SsfReceiverStorage {
  /** The Receiver a presented `Authorization: Bearer` value belongs to (RFC 6750 §2.1). */
  authenticate(authorization: string | undefined): SsfReceiverRecord | undefined;
  list(): SsfReceiverRecord[];
  findByAudience(audience: string): SsfReceiverRecord | undefined;
  /** Registers a Receiver with the hash of its token; false when the id or audience is taken. */
  insert(receiver: SsfReceiverRecord, token: string): boolean;
  /** Replaces a Receiver's token; false when unknown. */
  setToken(receiverId: string, token: string): boolean;
  delete(receiverId: string): boolean;
}

interface ReceiverRow {
  receiver_id: string;
  audience: string;
  description: string;
  created_at: number;
}

const toRecord = (row: ReceiverRow): SsfReceiverRecord => ({
  receiverId: row.receiver_id,
  audience: row.audience,
  description: row.description,
  createdAt: row.created_at,
});

/** The Receivers table (apply {@link ssfReceiversMigration} first). */
export function createSqliteSsfReceiverStorage(db: SqlDatabase): SsfReceiverStorage {
  const byHash = db.prepare<[string], ReceiverRow>('SELECT * FROM ssf_receivers WHERE token_hash = ?');
  const byAudience = db.prepare<[string], ReceiverRow>('SELECT * FROM ssf_receivers WHERE audience = ?');
  const all = db.prepare<[], ReceiverRow>('SELECT * FROM ssf_receivers ORDER BY created_at, receiver_id');
  const insert = db.prepare<[string, string, string, string, number]>(
    `INSERT INTO ssf_receivers (receiver_id, audience, token_hash, description, created_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT DO NOTHING`,
  );
  const setToken = db.prepare<[string, string]>('UPDATE ssf_receivers SET token_hash = ? WHERE receiver_id = ?');
  const remove = db.prepare<[string]>('DELETE FROM ssf_receivers WHERE receiver_id = ?');
  return {
    authenticate: (authorization) => {
      const token = authorization === undefined ? undefined : /^Bearer ([\x21-\x7e]+)$/i.exec(authorization)?.[1];
      // A lookup by the hash of a high-entropy token: equality on the digest reveals nothing about the token.
      const row = token === undefined ? undefined : byHash.get(hashOpaqueToken(token));
      return row === undefined ? undefined : toRecord(row);
    },
    list: () => all.all().map(toRecord),
    findByAudience: (audience) => {
      const row = byAudience.get(audience);
      return row === undefined ? undefined : toRecord(row);
    },
    insert: (receiver, token) =>
      insert.run(
        receiver.receiverId,
        receiver.audience,
        hashOpaqueToken(token),
        receiver.description,
        receiver.createdAt,
      ).changes === 1,
    setToken: (receiverId, token) => setToken.run(hashOpaqueToken(token), receiverId).changes === 1,
    delete: (receiverId) => remove.run(receiverId).changes === 1,
  };
}
