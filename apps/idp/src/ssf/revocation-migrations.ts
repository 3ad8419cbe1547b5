import { outboxMigration, streamsMigration } from '@ema/shared-signals/sqlite';
import type { Migration } from '@ema/storage';
import { postgresDdl } from '@ema/storage/postgres';
import { ssfReceiversMigration } from './ssf-receivers.js';

// Sign-out revokes the grants of one session: an UPDATE by session_id, which needs its index.
const grantsBySession: Migration = {
  id: 141,
  name: 'idp-grants-by-session',
  sql: 'CREATE INDEX grants_session ON grants(session_id)',
};

// TODO(pg-shared): `authorization` is a reserved word in PostgreSQL, so the streams table is created with the
// column quoted until @ema/shared-signals carries its own PostgreSQL DDL (this steps aside once it does). Stream
// management (which names the column unquoted) waits for that work; boot, fan-out and delivery do not need it.
const streamsTable: Migration = {
  ...streamsMigration,
  postgres:
    streamsMigration.postgres ?? postgresDdl(streamsMigration.sql).replace(/\bauthorization\b/, '"authorization"'),
};

/** What revocation across the chain adds to the IdP's database: SSF streams and Receivers, the outbox, an index. */
export const idpRevocationMigrations: readonly Migration[] = [
  outboxMigration,
  streamsTable,
  ssfReceiversMigration,
  grantsBySession,
];
