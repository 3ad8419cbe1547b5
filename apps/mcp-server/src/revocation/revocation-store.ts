/**
 * The revocations this MCP server received (table `revocations`, on SQLite or PostgreSQL): written as each arrives
 * (in the transaction that records the SET's `jti`), all loaded into the in-memory `RevocationList` at boot (and, on
 * PostgreSQL, again whenever another instance wrote one), purged once every token they cover would have expired.
 */
import type { Revocation } from '@ema/resource-server';
import type { Migration, SqlDatabase } from '@ema/storage';

/** The `revocations` table (the tickets' migrations are 100-101). */
export const revocationsMigration: Migration = {
  id: 120,
  name: 'mcp-revocations',
  sql: `
    CREATE TABLE revocations (
      kind TEXT NOT NULL CHECK (kind IN ('token', 'subject', 'session')),
      issuer TEXT NOT NULL,
      subject TEXT NOT NULL,
      key TEXT NOT NULL,
      cutoff INTEGER NOT NULL,
      until INTEGER NOT NULL,
      PRIMARY KEY (kind, issuer, subject, key)
    ) WITHOUT ROWID;
    CREATE INDEX revocations_until ON revocations (until);
  `,
};

interface Row {
  kind: Revocation['kind'];
  issuer: string;
  subject: string;
  key: string;
  cutoff: number;
  until: number;
}

/** The persisted revocations. */
export interface RevocationStore {
  save(revocation: Revocation): void;
  loadAll(): Revocation[];
  purge(nowSeconds: number): number;
}

const toRow = (revocation: Revocation): Row => {
  switch (revocation.kind) {
    case 'token':
      return {
        kind: 'token',
        issuer: revocation.issuer,
        subject: '',
        key: revocation.jti,
        cutoff: 0,
        until: revocation.until,
      };
    case 'subject':
      return { ...revocation, key: '' };
    case 'session':
      return {
        kind: 'session',
        issuer: revocation.issuer,
        subject: revocation.subject,
        key: revocation.sid,
        cutoff: revocation.cutoff,
        until: revocation.until,
      };
  }
};

const toRevocation = (row: Row): Revocation => {
  switch (row.kind) {
    case 'token':
      return { kind: 'token', issuer: row.issuer, jti: row.key, until: row.until };
    case 'subject':
      return { kind: 'subject', issuer: row.issuer, subject: row.subject, cutoff: row.cutoff, until: row.until };
    case 'session':
      return {
        kind: 'session',
        issuer: row.issuer,
        subject: row.subject,
        sid: row.key,
        cutoff: row.cutoff,
        until: row.until,
      };
  }
};

/** The store on SQLite or PostgreSQL, one set of queries (apply {@link revocationsMigration} first). */
export function createSqliteRevocationStore(db: SqlDatabase): RevocationStore {
  // A later cut-off moves it forward, never back, whichever instance wrote first (CASE: SQLite's two-argument max()
  // is PostgreSQL's GREATEST()).
  const upsert = db.prepare<[Row]>(
    `INSERT INTO revocations (kind, issuer, subject, key, cutoff, until)
     VALUES (@kind, @issuer, @subject, @key, @cutoff, @until)
     ON CONFLICT (kind, issuer, subject, key) DO UPDATE SET
       cutoff = CASE WHEN excluded.cutoff > revocations.cutoff THEN excluded.cutoff ELSE revocations.cutoff END,
       until = CASE WHEN excluded.until > revocations.until THEN excluded.until ELSE revocations.until END`,
  );
  const all = db.prepare<[], Row>('SELECT * FROM revocations');
  const purge = db.prepare<[number]>('DELETE FROM revocations WHERE until < ?');
  return {
    save: (revocation) => {
      upsert.run(toRow(revocation));
    },
    loadAll: () => all.all().map(toRevocation),
    purge: (nowSeconds) => Number(purge.run(nowSeconds).changes),
  };
}
