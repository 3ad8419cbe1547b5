/**
 * The RAS schema. Migration ids start at 100 so they never collide with the shared migrations of
 * `@ema/oauth-server` (signing keys, audit log) that live in the same database file.
 */
import type { Migration } from '@ema/storage';

/** Tables of the RAS registries, subjects, consumed ID-JAG `jti`s and revoked access tokens. */
export const rasMigrations: readonly Migration[] = [
  {
    id: 100,
    name: 'ras-registries',
    sql: `
      CREATE TABLE trusted_idps (
        issuer TEXT PRIMARY KEY,
        jwks_uri TEXT NOT NULL,
        algorithms TEXT NOT NULL,
        created_at INTEGER NOT NULL
      );
      CREATE TABLE resources (
        resource TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        scopes TEXT NOT NULL,
        created_at INTEGER NOT NULL
      );
      CREATE TABLE clients (
        client_id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        secret_hash TEXT,
        created_at INTEGER NOT NULL
      );
      CREATE TABLE client_resources (
        client_id TEXT NOT NULL REFERENCES clients (client_id) ON DELETE CASCADE,
        resource TEXT NOT NULL REFERENCES resources (resource) ON DELETE CASCADE,
        scopes TEXT NOT NULL,
        PRIMARY KEY (client_id, resource)
      ) WITHOUT ROWID;
    `,
  },
  {
    id: 101,
    name: 'ras-subjects',
    sql: `
      CREATE TABLE subjects (
        account_id TEXT PRIMARY KEY,
        iss TEXT NOT NULL,
        sub TEXT NOT NULL,
        email TEXT,
        name TEXT,
        created_at INTEGER NOT NULL,
        last_seen_at INTEGER NOT NULL,
        UNIQUE (iss, sub)
      );
    `,
  },
  {
    id: 102,
    name: 'ras-consumed-jtis-and-revocations',
    sql: `
      -- RFC 7523 §3 / EMA: single use per (issuer, jti); the primary key makes consumption atomic.
      CREATE TABLE consumed_jtis (
        iss TEXT NOT NULL,
        jti TEXT NOT NULL,
        exp INTEGER NOT NULL,
        client_id TEXT NOT NULL,
        consumed_at INTEGER NOT NULL,
        PRIMARY KEY (iss, jti)
      ) WITHOUT ROWID;
      CREATE INDEX consumed_jtis_exp ON consumed_jtis (exp);
      CREATE TABLE revoked_tokens (
        jti TEXT PRIMARY KEY,
        client_id TEXT NOT NULL,
        exp INTEGER NOT NULL,
        revoked_at INTEGER NOT NULL
      ) WITHOUT ROWID;
      CREATE INDEX revoked_tokens_exp ON revoked_tokens (exp);
    `,
  },
];
