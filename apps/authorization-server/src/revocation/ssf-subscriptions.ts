/**
 * This RAS's event streams at its IdPs (table `ssf_subscriptions`): the stream id the IdP assigned, the push
 * endpoint, and the credential the IdP must send with every push (SSF 1.0 §6.1.1 `authorization_header`), which is
 * also how a push is attributed to its transmitter.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { SqlDatabase } from '@ema/storage';

/** One stream at one IdP. */
export interface SsfSubscription {
  transmitter: string;
  streamId: string | null;
  /** The bearer token the IdP sends with each push. */
  pushToken: string;
  endpointUrl: string;
  registeredAt: number | null;
  verifiedAt: number | null;
  lastError: string | null;
  updatedAt: number;
}

/** The subscriptions. */
export interface SsfSubscriptionStorage {
  /** The subscription of `transmitter`, created (with a fresh push token) when there is none. */
  ensure(transmitter: string, endpointUrl: string, now: number): SsfSubscription;
  find(transmitter: string): SsfSubscription | undefined;
  list(): SsfSubscription[];
  registered(transmitter: string, streamId: string, now: number): void;
  failed(transmitter: string, error: string, now: number): void;
  verified(transmitter: string, now: number): void;
  /** The transmitter whose push token this `Authorization: Bearer` header carries (constant-time), if any. */
  authenticate(authorization: string | undefined): string | undefined;
}

interface Row {
  transmitter: string;
  stream_id: string | null;
  push_token: string;
  endpoint_url: string;
  registered_at: number | null;
  verified_at: number | null;
  last_error: string | null;
  updated_at: number;
}

const toSubscription = (row: Row): SsfSubscription => ({
  transmitter: row.transmitter,
  streamId: row.stream_id,
  pushToken: row.push_token,
  endpointUrl: row.endpoint_url,
  registeredAt: row.registered_at,
  verifiedAt: row.verified_at,
  lastError: row.last_error,
  updatedAt: row.updated_at,
});

const digest = (value: string): Buffer => createHash('sha256').update(value).digest();

/** The subscriptions on SQLite or PostgreSQL (one set of queries). */
export function createSqliteSsfSubscriptionStorage(db: SqlDatabase): SsfSubscriptionStorage {
  const find = db.prepare<[string], Row>('SELECT * FROM ssf_subscriptions WHERE transmitter = ?');
  const all = db.prepare<[], Row>('SELECT * FROM ssf_subscriptions ORDER BY transmitter');
  const insert = db.prepare<[string, string, string, number]>(
    `INSERT INTO ssf_subscriptions (transmitter, push_token, endpoint_url, updated_at) VALUES (?, ?, ?, ?)
     ON CONFLICT DO NOTHING`,
  );
  const setEndpoint = db.prepare<[string, number, string]>(
    'UPDATE ssf_subscriptions SET endpoint_url = ?, updated_at = ? WHERE transmitter = ?',
  );
  const registered = db.prepare<[string, number, number, string]>(
    'UPDATE ssf_subscriptions SET stream_id = ?, registered_at = ?, last_error = NULL, updated_at = ? WHERE transmitter = ?',
  );
  const failed = db.prepare<[string, number, string]>(
    'UPDATE ssf_subscriptions SET last_error = ?, updated_at = ? WHERE transmitter = ?',
  );
  const verified = db.prepare<[number, number, string]>(
    'UPDATE ssf_subscriptions SET verified_at = ?, updated_at = ? WHERE transmitter = ?',
  );
  return {
    ensure: (transmitter, endpointUrl, now) => {
      insert.run(transmitter, randomBytes(32).toString('base64url'), endpointUrl, now);
      const row = find.get(transmitter);
      if (row === undefined) throw new Error('the subscription vanished');
      if (row.endpoint_url !== endpointUrl) setEndpoint.run(endpointUrl, now, transmitter);
      return toSubscription({ ...row, endpoint_url: endpointUrl });
    },
    find: (transmitter) => {
      const row = find.get(transmitter);
      return row === undefined ? undefined : toSubscription(row);
    },
    list: () => all.all().map(toSubscription),
    registered: (transmitter, streamId, now) => {
      registered.run(streamId, now, now, transmitter);
    },
    failed: (transmitter, error, now) => {
      failed.run(error.slice(0, 500), now, transmitter);
    },
    verified: (transmitter, now) => {
      verified.run(now, now, transmitter);
    },
    authenticate: (authorization) => {
      const token = authorization === undefined ? undefined : /^Bearer ([\x21-\x7e]+)$/i.exec(authorization)?.[1];
      if (token === undefined) return undefined;
      const presented = digest(token);
      // Every subscription is compared (there are a few): the time taken says nothing about which one matched.
      let match: string | undefined;
      for (const row of all.all()) {
        if (timingSafeEqual(presented, digest(row.push_token))) match = row.transmitter;
      }
      return match;
    },
  };
}
