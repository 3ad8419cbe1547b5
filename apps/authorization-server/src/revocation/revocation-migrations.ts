/**
 * What revocation across the chain adds to the RAS database: the cut-offs the IdP announced, where each MCP server
 * receives this RAS's events, this RAS's streams at its IdPs, and the shared tables of a receiver (`jti`s received)
 * and a transmitter (the outbox). The RAS's own ids are 100+; these follow at 110.
 */
import { outboxMigration, receivedEventsMigration } from '@ema/shared-signals/sqlite';
import type { Migration } from '@ema/storage';

const cutOffs: Migration = {
  id: 110,
  name: 'ras-revocation-cutoffs',
  sql: `
    -- One row per (IdP, IdP subject, scope): scope '*' (every grant of the user), 'resource:<uri>' (one resource)
    -- or 'sid:<sid>' (one IdP session). An ID-JAG is refused when iat <= idjag_iat_cutoff or auth_time <=
    -- idjag_auth_cutoff (IdP clock, seconds); an access token of this RAS is revoked when iat <= access_cutoff (RAS
    -- clock, seconds). The primary key serves the one lookup of the redemption: (iss, sub) and three scopes.
    CREATE TABLE revocation_cutoffs (
      iss TEXT NOT NULL,
      sub TEXT NOT NULL,
      scope TEXT NOT NULL,
      idjag_iat_cutoff INTEGER NOT NULL,
      idjag_auth_cutoff INTEGER NOT NULL,
      access_cutoff INTEGER NOT NULL,
      reason TEXT NOT NULL,
      updated_at INTEGER NOT NULL,
      PRIMARY KEY (iss, sub, scope)
    ) WITHOUT ROWID;
    CREATE INDEX revocation_cutoffs_updated ON revocation_cutoffs (updated_at);
  `,
};

const resourceReceivers: Migration = {
  id: 111,
  name: 'ras-resource-receivers',
  sql: `
    -- Where an MCP server receives this RAS's Security Events (RFC 8935 push), per resource.
    CREATE TABLE resource_receivers (
      resource TEXT PRIMARY KEY REFERENCES resources (resource) ON DELETE CASCADE,
      endpoint_url TEXT NOT NULL,
      updated_at INTEGER NOT NULL
    ) WITHOUT ROWID;
  `,
};

const subscriptions: Migration = {
  id: 112,
  name: 'ras-ssf-subscriptions',
  sql: `
    -- This RAS's stream at each IdP (SSF 1.0 §8) and the credential the IdP must send with each push, kept (like the
    -- signing keys) because the RAS sends it to the IdP again whenever it updates the stream.
    CREATE TABLE ssf_subscriptions (
      transmitter TEXT PRIMARY KEY,
      stream_id TEXT,
      push_token TEXT NOT NULL,
      endpoint_url TEXT NOT NULL,
      registered_at INTEGER,
      verified_at INTEGER,
      last_error TEXT,
      updated_at INTEGER NOT NULL
    );
  `,
};

/** Apply after the RAS's own migrations. */
export const rasRevocationMigrations: readonly Migration[] = [
  outboxMigration,
  receivedEventsMigration,
  cutOffs,
  resourceReceivers,
  subscriptions,
];
