import { join } from 'node:path';
import { openDatabase } from '@ema/storage/sqlite';
import { describe, expect, it } from 'vitest';
import { idpMigrations } from '../../../src/storage/sqlite/idp-migrations.js';
import { tempDataDir } from '../../support/test-app.js';

describe('IdP migrations', () => {
  it('[IDP-ADMIN-USER-DISABLE-REVOKES-EXISTING] migration 103 revokes what users disabled before it still held, and indexes grants and sessions by user', () => {
    const file = join(tempDataDir(), 'idp.sqlite');
    const before = openDatabase({ file, migrations: idpMigrations.filter((migration) => migration.id < 103) });
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
      before
        .prepare('INSERT INTO id_tokens (jti, grant_id, user_id, expires_at) VALUES (?, ?, ?, 9999999999)')
        .run(`idt_${user}`, `grt_${user}`, user);
    }
    before.close();

    const after = openDatabase({ file, migrations: idpMigrations });
    const state = (table: string, column: string) =>
      after.prepare(`SELECT user_id AS user, ${column} IS NOT NULL AS done FROM ${table} ORDER BY user_id`).all();
    expect(state('grants', 'revoked_at')).toEqual([
      { user: 'usr_off', done: 1 },
      { user: 'usr_on', done: 0 },
    ]);
    expect(state('id_tokens', 'revoked_at')).toEqual([
      { user: 'usr_off', done: 1 },
      { user: 'usr_on', done: 0 },
    ]);
    expect(state('sessions', 'ended_at')).toEqual([
      { user: 'usr_off', done: 1 },
      { user: 'usr_on', done: 0 },
    ]);
    expect(after.prepare(`SELECT revoked_reason AS reason FROM grants WHERE user_id = 'usr_off'`).get()).toEqual({
      reason: 'user disabled',
    });
    const plan = (sql: string) =>
      after
        .prepare(`EXPLAIN QUERY PLAN ${sql}`)
        .all()
        .map((row) => String((row as { detail: unknown }).detail))
        .join('\n');
    expect(plan(`UPDATE grants SET revoked_at = 1 WHERE user_id = 'usr_on' AND revoked_at IS NULL`)).toContain(
      'grants_user',
    );
    expect(plan(`UPDATE sessions SET ended_at = 1 WHERE user_id = 'usr_on' AND ended_at IS NULL`)).toContain(
      'sessions_user',
    );
    after.close();
  });
});
