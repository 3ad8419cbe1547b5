import { STORES } from '@ema/store-testing';
import { describe, expect, it } from 'vitest';
import { createSqliteRevocationStore, revocationsMigration } from '../../src/revocation/revocation-store.js';

const ISSUER = 'http://localhost:3200';

describe.each(STORES)('the revocation store on $name', ({ open }) => {
  it('[MCP-PG-STORES] [MCP-REVOCATION-PERSISTED] keeps each kind, moves a cut-off forward and never back, purges what expired', async () => {
    const store = createSqliteRevocationStore((await open([revocationsMigration])).connect());
    store.save({ kind: 'token', issuer: ISSUER, jti: 'at-1', until: 2000 });
    store.save({ kind: 'subject', issuer: ISSUER, subject: 'alice', cutoff: 100, until: 1000 });
    store.save({ kind: 'subject', issuer: ISSUER, subject: 'alice', cutoff: 300, until: 900 });
    store.save({ kind: 'subject', issuer: ISSUER, subject: 'alice', cutoff: 200, until: 1200 });
    store.save({ kind: 'session', issuer: ISSUER, subject: 'bob', sid: 'sid-1', cutoff: 50, until: 500 });
    const byKind = (kind: string) => store.loadAll().filter((revocation) => revocation.kind === kind);
    expect(byKind('token')).toStrictEqual([{ kind: 'token', issuer: ISSUER, jti: 'at-1', until: 2000 }]);
    expect(byKind('subject')).toStrictEqual([
      { kind: 'subject', issuer: ISSUER, subject: 'alice', cutoff: 300, until: 1200 },
    ]);
    expect(byKind('session')).toStrictEqual([
      { kind: 'session', issuer: ISSUER, subject: 'bob', sid: 'sid-1', cutoff: 50, until: 500 },
    ]);
    expect(store.purge(1100)).toBe(1);
    expect(store.loadAll()).toHaveLength(2);
  });

  it('[MCP-PG-REVOCATION-SHARED] a cut-off saved through one connection (instance) is loaded through another', async () => {
    const opened = await open([revocationsMigration]);
    const receiving = createSqliteRevocationStore(opened.connect());
    const other = createSqliteRevocationStore(opened.connect());
    receiving.save({ kind: 'subject', issuer: ISSUER, subject: 'alice', cutoff: 100, until: 1000 });
    other.save({ kind: 'subject', issuer: ISSUER, subject: 'alice', cutoff: 50, until: 400 });
    expect(other.loadAll()).toStrictEqual([
      { kind: 'subject', issuer: ISSUER, subject: 'alice', cutoff: 100, until: 1000 },
    ]);
  });
});
