import { randomUUID } from 'node:crypto';
import type { LocalAccount, SubjectIdentity } from '@ema/oauth-server';
import type { SqlDatabase } from '@ema/storage';

/**
 * A local account at this RAS, bound to one (IdP issuer, IdP tenant, IdP subject) triple (ID-JAG §6.3: `sub` is
 * unique per issuer and tenant); `accountId` is the tokens' `sub`.
 */
export interface Account extends LocalAccount {
  iss: string;
  /** The issuer's tenant, or `null` for a single-tenant issuer. */
  tenant: string | null;
  sub: string;
  createdAt: number;
  lastSeenAt: number;
}

/** Storage of local accounts (ID-JAG §4.4.1 subject resolution). */
export interface SubjectStorage {
  /** Just-in-time provisioning: finds or creates the account of (iss, tenant, sub), refreshing email and name when sent. */
  provision(identity: SubjectIdentity, now: number): Account;
  /** Finds an existing account and records that it was seen (no provisioning). */
  resolve(identity: Pick<SubjectIdentity, 'iss' | 'tenant' | 'sub'>, now: number): Account | undefined;
  list(limit: number): Account[];
}

interface AccountRow {
  account_id: string;
  iss: string;
  tenant: string;
  sub: string;
  email: string | null;
  name: string | null;
  created_at: number;
  last_seen_at: number;
}

const toAccount = (row: AccountRow): Account => ({
  accountId: row.account_id,
  iss: row.iss,
  tenant: row.tenant === '' ? null : row.tenant,
  sub: row.sub,
  email: row.email,
  name: row.name,
  createdAt: row.created_at,
  lastSeenAt: row.last_seen_at,
});

/**
 * How stale `last_seen_at` may get before a redemption refreshes it. Rewriting the row on every redemption would
 * make each one pay for a write that says nothing new; the stamp is kept to the minute.
 */
export const LAST_SEEN_RESOLUTION_MS = 60_000;

/**
 * Local accounts on SQLite or PostgreSQL (one set of queries). On the hot path the account row is read, and written only when it is new, its email or
 * name changed, or its `last_seen_at` is older than {@link LAST_SEEN_RESOLUTION_MS}.
 */
export function createSqliteSubjectStorage(db: SqlDatabase): SubjectStorage {
  const find = db.prepare<[string, string, string], AccountRow>(
    'SELECT * FROM subjects WHERE iss = ? AND tenant = ? AND sub = ?',
  );
  const upsert = db.prepare<[string, string, string, string, string | null, string | null, number, number], AccountRow>(
    `INSERT INTO subjects (account_id, iss, tenant, sub, email, name, created_at, last_seen_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (iss, tenant, sub) DO UPDATE SET email = coalesce(excluded.email, subjects.email),
       name = coalesce(excluded.name, subjects.name), last_seen_at = excluded.last_seen_at
     RETURNING *`,
  );
  const touch = db.prepare<[number, string, string, string], AccountRow>(
    'UPDATE subjects SET last_seen_at = ? WHERE iss = ? AND tenant = ? AND sub = ? RETURNING *',
  );
  const list = db.prepare<[number], AccountRow>('SELECT * FROM subjects ORDER BY last_seen_at DESC LIMIT ?');
  const fresh = (row: AccountRow, now: number): boolean => now - row.last_seen_at < LAST_SEEN_RESOLUTION_MS;
  return {
    provision: (identity, now) => {
      const email = identity.email ?? null;
      const name = identity.name ?? null;
      const tenant = identity.tenant ?? '';
      const existing = find.get(identity.iss, tenant, identity.sub);
      // An absent email or name keeps the stored one (the upsert's coalesce), so only a sent, different value counts.
      if (
        existing &&
        fresh(existing, now) &&
        (email === null || email === existing.email) &&
        (name === null || name === existing.name)
      )
        return toAccount(existing);
      const row = upsert.get(randomUUID(), identity.iss, tenant, identity.sub, email, name, now, now);
      if (!row) throw new Error('subject upsert returned no row');
      return toAccount(row);
    },
    resolve: ({ iss, tenant = '', sub }, now) => {
      const existing = find.get(iss, tenant, sub);
      if (!existing) return undefined;
      if (fresh(existing, now)) return toAccount(existing);
      const row = touch.get(now, iss, tenant, sub);
      return row && toAccount(row);
    },
    list: (limit) => list.all(limit).map(toAccount),
  };
}
