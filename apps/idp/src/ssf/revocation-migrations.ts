import { outboxMigration, streamsMigration } from '@ema/shared-signals/sqlite';
import type { Migration } from '@ema/storage';
import { ssfReceiversMigration } from './ssf-receivers.js';

// Sign-out revokes the grants of one session: an UPDATE by session_id, which needs its index.
const grantsBySession: Migration = {
  id: 141,
  name: 'idp-grants-by-session',
  sql: 'CREATE INDEX grants_session ON grants(session_id)',
};

/** What revocation across the chain adds to the IdP's database: SSF streams and Receivers, the outbox, an index. */
export const idpRevocationMigrations: readonly Migration[] = [
  outboxMigration,
  streamsMigration,
  ssfReceiversMigration,
  grantsBySession,
];
