import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { auditMigration, auditMigrations, createSqliteAuditLog, openDatabase } from '../../src/sqlite.js';
import { STORES } from '../stores.js';

describe.each(STORES)('$name audit log', (store) => {
  async function setup() {
    let now = 1_000;
    const opened = await store.open(auditMigrations);
    const db = {
      close: opened.close,
      prepare: opened.db.prepare.bind(opened.db),
      transaction: opened.db.transaction.bind(opened.db),
    };
    const log = createSqliteAuditLog(opened.db, { now: () => now });
    const tick = (ms: number) => {
      now += ms;
    };
    return { db, log, tick };
  }

  it('records events and returns them newest first, with absent fields omitted', async () => {
    const { db, log, tick } = await setup();
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

  it('[KIT-PROFILE-AUDIT-APPEND-ONLY] refuses UPDATE and DELETE', async () => {
    const { db, log } = await setup();
    log.record({ type: 'login', outcome: 'success', subject: 'alice' });
    expect(() => db.prepare("UPDATE audit_log SET outcome = 'failure'").run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM audit_log').run()).toThrow(/append-only/);
    expect(log.query()).toHaveLength(1);
    expect(log.query()[0]?.outcome).toBe('success');
    db.close();
  });

  it('filters by type, outcome, subject, client, time window, and pages with limit and beforeId', async () => {
    const { db, log, tick } = await setup();
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

  it('exports every record as JSON Lines, oldest first', async () => {
    const { db, log } = await setup();
    for (let i = 0; i < 1200; i++) log.record({ type: 'e', outcome: 'info', jti: `j${i}` });
    const lines = [...log.exportJsonLines()];
    expect(lines).toHaveLength(1200);
    expect(lines.every((line) => line.endsWith('\n'))).toBe(true);
    expect(JSON.parse(lines[0] ?? '')).toEqual({ id: 1, at: 1000, type: 'e', outcome: 'info', jti: 'j0' });
    expect(JSON.parse(lines[1199] ?? '').jti).toBe('j1199');
    db.close();
  });

  it("exports in the admin APIs' casing (client_id), the view every role shows", async () => {
    const { db, log } = await setup();
    log.record({ type: 'e', outcome: 'deny', clientId: 'agent', details: { error: 'invalid_grant' } });
    const [line] = [...log.exportJsonLines()];
    expect(JSON.parse(line ?? '')).toEqual({
      id: 1,
      at: 1000,
      type: 'e',
      outcome: 'deny',
      client_id: 'agent',
      details: { error: 'invalid_grant' },
    });
    db.close();
  });

  it('lets events be recorded while an export is being consumed', async () => {
    const { db, log } = await setup();
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

describe.each(STORES)('$name audit log: group commit', (store) => {
  /** The store and a second connection to it, as another process (another instance) would see it. */
  async function fileSetup() {
    const opened = await store.open(auditMigrations);
    const db = opened.db;
    const reader = opened.connect();
    const log = createSqliteAuditLog(db);
    const committed = () => reader.prepare('SELECT COUNT(*) AS n FROM audit_log').get() as { n: number };
    return { db, log, committed, close: opened.close, name: store.name };
  }

  it('commits the records of one event-loop turn together, and each is committed when its promise resolves', async () => {
    const { log, committed, close } = await fileSetup();
    const waits = [1, 2, 3].map((i) => log.recordCommitted({ type: 'e', outcome: 'info', jti: `j${i}` }));
    // Nothing is written during the turn: the batch waits for its one transaction.
    expect(committed().n).toBe(0);
    await waits[0];
    // Resolved means committed: another connection sees the record, and the whole batch with it.
    expect(committed().n).toBe(3);
    await Promise.all(waits);
    expect(log.query().map((record) => record.jti)).toEqual(['j3', 'j2', 'j1']);
    close();
  });

  it('[STORAGE-GROUP-COMMIT-ITEM-ALONE] shares one transaction per batch: a record that cannot be written rejects alone, the others commit', async () => {
    const { db, log, committed, close, name } = await fileSetup();
    db.exec(
      name === 'SQLite'
        ? `CREATE TEMP TRIGGER refuse_poison BEFORE INSERT ON audit_log WHEN NEW.type = 'poison'
      BEGIN SELECT RAISE(ABORT, 'disk says no'); END`
        : `CREATE FUNCTION refuse_poison() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'disk says no'; END $$;
      CREATE TRIGGER refuse_poison BEFORE INSERT ON audit_log FOR EACH ROW WHEN (NEW.type = 'poison')
      EXECUTE FUNCTION refuse_poison()`,
    );
    const results = await Promise.allSettled([
      log.recordCommitted({ type: 'e', outcome: 'info' }),
      log.recordCommitted({ type: 'poison', outcome: 'info' }),
      log.recordCommitted({ type: 'e', outcome: 'info' }),
    ]);
    expect(results.map((result) => result.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(committed().n).toBe(2);
    await log.recordCommitted({ type: 'e', outcome: 'info', jti: 'after' });
    expect(committed().n).toBe(3);
    close();
  });

  it('rejects a record whose details cannot be serialised, without failing the rest of the batch', async () => {
    const { log, committed, close } = await fileSetup();
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    const results = await Promise.allSettled([
      log.recordCommitted({ type: 'e', outcome: 'info', details: circular }),
      log.recordCommitted({ type: 'e', outcome: 'info', jti: 'ok' }),
    ]);
    expect(results.map((result) => result.status)).toEqual(['rejected', 'fulfilled']);
    expect(committed().n).toBe(1);
    close();
  });

  it('record() commits at once, taking waiting records with it in call order', async () => {
    const { log, committed, close } = await fileSetup();
    const waiting = log.recordCommitted({ type: 'e', outcome: 'info', jti: 'first' });
    log.record({ type: 'e', outcome: 'info', jti: 'second' });
    expect(committed().n).toBe(2);
    await waiting;
    expect(log.query().map((record) => record.jti)).toEqual(['second', 'first']);
    close();
  });

  it('a query sees records still waiting for their group commit', async () => {
    const { log, close } = await fileSetup();
    void log.recordCommitted({ type: 'e', outcome: 'info', jti: 'pending' });
    expect(log.query().map((record) => record.jti)).toEqual(['pending']);
    expect([...log.exportJsonLines()]).toHaveLength(1);
    close();
  });

  it('record() inside a caller transaction leaves waiting records out of it (a rollback must not lose them)', async () => {
    const { db, log, committed, close } = await fileSetup();
    const waiting = log.recordCommitted({ type: 'e', outcome: 'info', jti: 'waiting' });
    expect(() =>
      db.transaction(() => {
        log.record({ type: 'e', outcome: 'info', jti: 'inside' });
        throw new Error('roll back');
      })(),
    ).toThrow('roll back');
    await waiting;
    expect(committed().n).toBe(1);
    expect(log.query().map((record) => record.jti)).toEqual(['waiting']);
    close();
  });
});

describe('SQLite audit log: migration 1004', () => {
  it('keeps every record and its id, stays append-only, and keeps ids increasing without AUTOINCREMENT', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ema-audit-'));
    const file = join(dir, 'audit.db');
    const before = openDatabase({ file, migrations: [auditMigration] });
    const old = createSqliteAuditLog(before);
    for (let i = 0; i < 3; i++) old.record({ type: 'e', outcome: 'info', jti: `j${i}` });
    before.close();

    const db = openDatabase({ file, migrations: auditMigrations });
    const log = createSqliteAuditLog(db);
    expect(log.query().map((record) => [record.id, record.jti])).toEqual([
      [3, 'j2'],
      [2, 'j1'],
      [1, 'j0'],
    ]);
    log.record({ type: 'e', outcome: 'info', jti: 'j3' });
    expect(log.query({ limit: 1 })[0]?.id).toBe(4);
    expect(() => db.prepare('DELETE FROM audit_log').run()).toThrow(/append-only/);
    expect(() => db.prepare("UPDATE audit_log SET type = 'x'").run()).toThrow(/append-only/);
    const indexes = db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'audit_log'").all();
    expect(indexes).toEqual([]);
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });
});
