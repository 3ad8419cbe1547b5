/**
 * Migration 120 on a database written before it: accounts keyed on (iss, sub) become accounts keyed on
 * (iss, tenant, sub) with the empty tenant, keeping their ids and everything that references them.
 */
import { join } from 'node:path';
import { signingKeyMigrations } from '@ema/oauth-server/sqlite';
import { createTestDatabase } from '@ema/postgres-server/test-database';
import type { SqlDatabase } from '@ema/storage';
import { openPostgresDatabase } from '@ema/storage/postgres';
import { auditMigrations, openDatabase } from '@ema/storage/sqlite';
import { afterEach, describe, expect, it } from 'vitest';
import { interactiveMigrations } from '../../src/interactive/storage/interactive-migrations.js';
import { rasRevocationMigrations } from '../../src/revocation/revocation-migrations.js';
import { rasMigrations } from '../../src/storage/migrations.js';
import { openPostgresRasStorage } from '../../src/storage/postgres-ras-storage.js';
import { DATABASE_FILE, openRasStorage, type RasStorage } from '../../src/storage/ras-storage.js';
import { tempDataDir } from '../support/ras.js';

const BEFORE_TENANTS = [
  ...signingKeyMigrations,
  ...auditMigrations,
  ...rasMigrations,
  ...interactiveMigrations,
  ...rasRevocationMigrations,
];
const IDP = 'https://idp.example';

describe('migration 120: accounts keyed on (iss, tenant, sub)', () => {
  let storage: RasStorage | undefined;
  afterEach(async () => {
    await storage?.close();
    storage = undefined;
  });

  it('[RAS-IDJAG-TENANT-ACCOUNT-KEY] keeps existing accounts (ids, grants referencing them) as tenant-less, and lets one sub have an account per tenant', () => {
    const dataDir = tempDataDir();
    const old = openDatabase({ file: join(dataDir, DATABASE_FILE), migrations: BEFORE_TENANTS });
    writeBeforeTenants(old);
    old.close();

    storage = openRasStorage(dataDir);
    expectTenantAccounts(storage);
  });

  it('[RAS-IDJAG-TENANT-ACCOUNT-KEY] [RAS-PG-STORES] does the same on PostgreSQL (in place: the grants keep their foreign key)', async () => {
    const url = await createTestDatabase('ras_migration');
    const old = openPostgresDatabase({ url, schema: 'ras', migrations: BEFORE_TENANTS });
    writeBeforeTenants(old);
    old.close();

    storage = await openPostgresRasStorage({ url });
    expectTenantAccounts(storage);
  });
});

function writeBeforeTenants(old: SqlDatabase): void {
  old
    .prepare(
      'INSERT INTO subjects (account_id, iss, sub, email, name, created_at, last_seen_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
    )
    .run('acct-1', IDP, 'alice', 'alice@acme.example', 'Alice', 1, 2);
  old
    .prepare(
      `INSERT INTO authorization_grants (grant_id, client_id, account_id, resource, scope, "authorization", created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
    )
    .run('grant-1', 'client', 'acct-1', 'https://mcp.example/mcp', 'tickets.read', '{}', 3);
  old
    .prepare('INSERT INTO trusted_idps (issuer, jwks_uri, algorithms, created_at) VALUES (?, ?, ?, ?)')
    .run(IDP, `${IDP}/jwks`, 'ES256', 4);
}

function expectTenantAccounts(storage: RasStorage): void {
  const alice = { iss: IDP, sub: 'alice' };
  expect(storage.subjects.resolve(alice, 5)).toMatchObject({
    accountId: 'acct-1',
    tenant: null,
    email: 'alice@acme.example',
  });
  expect(storage.database.prepare('SELECT grant_id, account_id FROM authorization_grants').all()).toEqual([
    { grant_id: 'grant-1', account_id: 'acct-1' },
  ]);
  expect(storage.registry.findTrustedIdp(IDP)).toMatchObject({ algorithms: ['ES256'], tenants: [] });

  // The same sub in two tenants of one issuer: two accounts, neither the tenant-less one.
  const acme = storage.subjects.provision({ ...alice, tenant: 'acme' }, 6);
  const globex = storage.subjects.provision({ ...alice, tenant: 'globex' }, 6);
  expect(new Set([acme.accountId, globex.accountId, 'acct-1']).size).toBe(3);
  expect(storage.subjects.resolve({ ...alice, tenant: 'acme' }, 7)?.accountId).toBe(acme.accountId);
  expect(storage.subjects.provision(alice, 7).accountId).toBe('acct-1');

  // The reference still holds: the grant follows its account.
  storage.database.prepare('DELETE FROM subjects WHERE account_id = ?').run('acct-1');
  expect(storage.database.prepare('SELECT count(*) AS n FROM authorization_grants').get()).toEqual({ n: 0 });
}
