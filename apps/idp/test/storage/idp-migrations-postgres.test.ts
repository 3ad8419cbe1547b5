import { createTestDatabase } from '@ema/postgres-server/test-database';
import { openPostgresDatabase } from '@ema/storage/postgres';
import { describe, expect, it } from 'vitest';
import { idpMigrations } from '../../src/storage/sqlite/idp-migrations.js';

describe('IdP migrations on PostgreSQL', () => {
  it('[IDP-PG-SAME-QUERIES] [IDP-ADMIN-USER-DISABLE-REVOKES-EXISTING] migration 103’s PostgreSQL form revokes what disabled users held, at the server’s clock in seconds, and indexes by user', async () => {
    const url = await createTestDatabase('idp_migrations');
    const options = { url, schema: 'idp' };
    const before = openPostgresDatabase({ ...options, migrations: idpMigrations.filter((m) => m.id < 103) });
    const addUser = before.prepare(
      `INSERT INTO users (id, username, password_hash, name, email, disabled, created_at) VALUES (?, ?, 'x', ?, ?, ?, 0)`,
    );
    addUser.run('usr_off', 'off', 'Off', 'off@acme.example', 1);
    addUser.run('usr_on', 'on', 'On', 'on@acme.example', 0);
    for (const user of ['usr_off', 'usr_on']) {
      before
        .prepare(
          `INSERT INTO sessions (id, token_hash, user_id, auth_time, amr, created_at, expires_at)
           VALUES (?, ?, ?, 0, '["pwd"]', 0, 9999999999)`,
        )
        .run(`ses_${user}`, `hash_${user}`, user);
      before
        .prepare(
          `INSERT INTO grants (id, client_id, user_id, scope, session_id, auth_time, amr, created_at)
           VALUES (?, 'agent-host', ?, 'openid', ?, 0, '["pwd"]', 0)`,
        )
        .run(`grt_${user}`, user, `ses_${user}`);
    }
    before.close();

    const started = Math.floor(Date.now() / 1000);
    const after = openPostgresDatabase({ ...options, migrations: idpMigrations });
    try {
      const grants = after
        .prepare<[], { user_id: string; revoked_at: number | null; revoked_reason: string | null }>(
          'SELECT user_id, revoked_at, revoked_reason FROM grants ORDER BY user_id',
        )
        .all();
      expect(grants.map((row) => [row.user_id, row.revoked_reason])).toEqual([
        ['usr_off', 'user disabled'],
        ['usr_on', null],
      ]);
      expect(grants[0]?.revoked_at).toBeGreaterThanOrEqual(started - 5);
      expect(grants[0]?.revoked_at).toBeLessThanOrEqual(started + 5);
      const ended = after.prepare<[], { user_id: string }>('SELECT user_id FROM sessions WHERE ended_at IS NOT NULL');
      expect(ended.all()).toEqual([{ user_id: 'usr_off' }]);
      const indexes = after
        .prepare<[], { indexname: string }>(
          "SELECT indexname FROM pg_indexes WHERE schemaname = 'idp' AND indexname IN ('grants_user', 'sessions_user') ORDER BY indexname",
        )
        .all();
      expect(indexes.map((row) => row.indexname)).toEqual(['grants_user', 'sessions_user']);
    } finally {
      after.close();
    }
  });
});
