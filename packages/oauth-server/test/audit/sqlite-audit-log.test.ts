import { describe, expect, it } from 'vitest';
import { auditMigration, createSqliteAuditLog, openDatabase } from '../../src/index.js';

function setup() {
  let now = 1_000;
  const db = openDatabase({ file: ':memory:', migrations: [auditMigration] });
  const log = createSqliteAuditLog(db, { now: () => now });
  const tick = (ms: number) => {
    now += ms;
  };
  return { db, log, tick };
}

describe('SQLite audit log', () => {
  it('records events and returns them newest first, with absent fields omitted', () => {
    const { db, log, tick } = setup();
    log.record({ type: 'token_exchange', outcome: 'allow', subject: 'alice', clientId: 'agent', jti: 'j1' });
    tick(10);
    log.record({
      type: 'jwt_bearer',
      outcome: 'deny',
      reason: 'ERR_JWT_EXPIRED',
      clientId: 'agent',
      details: { issuer: 'https://idp.example' },
    });
    expect(log.query()).toEqual([
      {
        id: 2,
        at: 1010,
        type: 'jwt_bearer',
        outcome: 'deny',
        reason: 'ERR_JWT_EXPIRED',
        clientId: 'agent',
        details: { issuer: 'https://idp.example' },
      },
      { id: 1, at: 1000, type: 'token_exchange', outcome: 'allow', subject: 'alice', clientId: 'agent', jti: 'j1' },
    ]);
    db.close();
  });

  it('[KIT-PROFILE-AUDIT-APPEND-ONLY] refuses UPDATE and DELETE', () => {
    const { db, log } = setup();
    log.record({ type: 'login', outcome: 'success', subject: 'alice' });
    expect(() => db.prepare("UPDATE audit_log SET outcome = 'failure'").run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM audit_log').run()).toThrow(/append-only/);
    expect(log.query()).toHaveLength(1);
    expect(log.query()[0]?.outcome).toBe('success');
    db.close();
  });

  it('filters by type, outcome, subject, client, time window, and pages with limit and beforeId', () => {
    const { db, log, tick } = setup();
    for (let i = 0; i < 6; i++) {
      log.record({
        type: i % 2 === 0 ? 'token_exchange' : 'jwt_bearer',
        outcome: i < 3 ? 'allow' : 'deny',
        subject: i % 3 === 0 ? 'alice' : 'bob',
        clientId: `client-${i % 2}`,
      });
      tick(100);
    }
    const ids = (filter: Parameters<typeof log.query>[0]) => log.query(filter).map((record) => record.id);
    expect(ids({ type: 'jwt_bearer' })).toEqual([6, 4, 2]);
    expect(ids({ outcome: 'deny' })).toEqual([6, 5, 4]);
    expect(ids({ subject: 'alice' })).toEqual([4, 1]);
    expect(ids({ clientId: 'client-0' })).toEqual([5, 3, 1]);
    expect(ids({ since: 1100, until: 1300 })).toEqual([3, 2]);
    expect(ids({ type: 'token_exchange', outcome: 'allow' })).toEqual([3, 1]);
    expect(ids({ limit: 2 })).toEqual([6, 5]);
    expect(ids({ limit: 2, beforeId: 5 })).toEqual([4, 3]);
    db.close();
  });

  it('exports every record as JSON Lines, oldest first', () => {
    const { db, log } = setup();
    for (let i = 0; i < 1200; i++) log.record({ type: 'e', outcome: 'info', jti: `j${i}` });
    const lines = [...log.exportJsonLines()];
    expect(lines).toHaveLength(1200);
    expect(lines.every((line) => line.endsWith('\n'))).toBe(true);
    expect(JSON.parse(lines[0] ?? '')).toEqual({ id: 1, at: 1000, type: 'e', outcome: 'info', jti: 'j0' });
    expect(JSON.parse(lines[1199] ?? '').jti).toBe('j1199');
    db.close();
  });

  it('lets events be recorded while an export is being consumed', () => {
    const { db, log } = setup();
    for (let i = 0; i < 3; i++) log.record({ type: 'e', outcome: 'info' });
    let seen = 0;
    for (const _line of log.exportJsonLines()) {
      seen += 1;
      if (seen === 1) log.record({ type: 'export', outcome: 'info' });
    }
    // The export does not hold the connection busy: recording mid-export works (and is not part of this page).
    expect(seen).toBe(3);
    expect(log.query({ type: 'export' })).toHaveLength(1);
    db.close();
  });
});
