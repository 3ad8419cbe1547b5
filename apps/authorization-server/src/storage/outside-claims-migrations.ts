/**
 * The RAS schema for the claims an outside IdP may send (ID-JAG §3.1, §6; RFC 9396): the tenants each trusted issuer
 * is pinned to, the authorization details types each resource understands, and accounts keyed on
 * (`iss`, `tenant`, `sub`) instead of (`iss`, `sub`).
 */
import type { Migration } from '@ema/storage';

/**
 * `subjects` is rebuilt (SQLite cannot drop a UNIQUE constraint) the way SQLite documents: create the new table,
 * copy, drop the old one, rename. `openDatabase` runs migrations with foreign keys off, so dropping it does not
 * cascade into `authorization_grants`, whose `account_id REFERENCES subjects` then names the new table (same
 * account ids; `foreign_key_check` runs before the commit). Existing accounts get the empty tenant: their issuers
 * were single-tenant, which is what an empty tenant means.
 */
export const outsideClaimsMigrations: readonly Migration[] = [
  {
    id: 120,
    // PostgreSQL alters the table in place: it can drop the UNIQUE constraint, and dropping `subjects` would fail on
    // the foreign key of `authorization_grants` (PostgreSQL enforces it during migrations too).
    postgres: `
      ALTER TABLE trusted_idps ADD COLUMN tenants TEXT NOT NULL DEFAULT '';
      ALTER TABLE resources ADD COLUMN authorization_detail_types TEXT NOT NULL DEFAULT '[]';
      ALTER TABLE subjects ADD COLUMN tenant TEXT NOT NULL DEFAULT '';
      ALTER TABLE subjects DROP CONSTRAINT subjects_iss_sub_key;
      ALTER TABLE subjects ADD CONSTRAINT subjects_iss_tenant_sub_key UNIQUE (iss, tenant, sub);
    `,
    name: 'ras-tenants-and-authorization-details',
    sql: `
      ALTER TABLE trusted_idps ADD COLUMN tenants TEXT NOT NULL DEFAULT '';
      ALTER TABLE resources ADD COLUMN authorization_detail_types TEXT NOT NULL DEFAULT '[]';
      CREATE TABLE subjects_by_tenant (
        account_id TEXT PRIMARY KEY,
        iss TEXT NOT NULL,
        -- ID-JAG §6.3: '' for a single-tenant issuer, else the tenant sub is unique within.
        tenant TEXT NOT NULL DEFAULT '',
        sub TEXT NOT NULL,
        email TEXT,
        name TEXT,
        created_at INTEGER NOT NULL,
        last_seen_at INTEGER NOT NULL,
        UNIQUE (iss, tenant, sub)
      );
      INSERT INTO subjects_by_tenant (account_id, iss, tenant, sub, email, name, created_at, last_seen_at)
        SELECT account_id, iss, '', sub, email, name, created_at, last_seen_at FROM subjects;
      DROP TABLE subjects;
      ALTER TABLE subjects_by_tenant RENAME TO subjects;
    `,
  },
];
