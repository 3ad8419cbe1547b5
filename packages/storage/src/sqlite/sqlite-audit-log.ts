import type { AuditEvent, AuditLog, AuditRecord } from '../audit/audit-log.js';
import { auditRecordView } from '../audit/audit-record-view.js';
import { createGroupCommit } from '../group-commit.js';
import type { Migration } from '../migration.js';
import type { Database } from './database.js';

/** Creates the append-only `audit_log` table: triggers refuse every UPDATE and DELETE. */
export const auditMigration: Migration = {
  id: 1002,
  name: 'oauth-server: audit_log',
  sql: `CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at INTEGER NOT NULL,
    type TEXT NOT NULL,
    outcome TEXT NOT NULL,
    reason TEXT,
    actor TEXT,
    subject TEXT,
    client_id TEXT,
    resource TEXT,
    jti TEXT,
    details TEXT
  );
  CREATE INDEX audit_log_at ON audit_log (at);
  CREATE INDEX audit_log_type ON audit_log (type, id);
  CREATE INDEX audit_log_subject ON audit_log (subject, id);
  CREATE INDEX audit_log_client_id ON audit_log (client_id, id);
  CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
    BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
  CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
    BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;`,
};

/**
 * Makes each insert cheaper, keeping the table append-only. Plain `INTEGER PRIMARY KEY` instead of `AUTOINCREMENT`:
 * rows are never deleted (the triggers refuse it), so the next id is always above every id ever issued and ids keep
 * increasing, without the extra `sqlite_sequence` write per insert. The four secondary indexes go: the one query
 * (`query`, whose optional filters are `(@x IS NULL OR x = @x)`) and the export never use them (both walk the rowid),
 * so each insert touched five B-trees for nothing. The triggers are recreated on the rebuilt table.
 */
export const auditCompactMigration: Migration = {
  id: 1004,
  name: 'oauth-server: audit_log without AUTOINCREMENT and unused indexes',
  sql: `CREATE TABLE audit_log_next (
    id INTEGER PRIMARY KEY,
    at INTEGER NOT NULL,
    type TEXT NOT NULL,
    outcome TEXT NOT NULL,
    reason TEXT,
    actor TEXT,
    subject TEXT,
    client_id TEXT,
    resource TEXT,
    jti TEXT,
    details TEXT
  );
  INSERT INTO audit_log_next (id, at, type, outcome, reason, actor, subject, client_id, resource, jti, details)
    SELECT id, at, type, outcome, reason, actor, subject, client_id, resource, jti, details FROM audit_log ORDER BY id;
  DROP TABLE audit_log;
  ALTER TABLE audit_log_next RENAME TO audit_log;
  CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
    BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
  CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
    BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;`,
};

/** Every migration of the audit log, in order: pass them all to `openDatabase`. */
export const auditMigrations: readonly Migration[] = [auditMigration, auditCompactMigration];

interface AuditRow {
  id: number;
  at: number;
  type: string;
  outcome: AuditEvent['outcome'];
  reason: string | null;
  actor: string | null;
  subject: string | null;
  client_id: string | null;
  resource: string | null;
  jti: string | null;
  details: string | null;
}

interface QueryParams {
  type: string | null;
  outcome: string | null;
  subject: string | null;
  client_id: string | null;
  since: number | null;
  until: number | null;
  before_id: number | null;
  limit: number;
}

const DEFAULT_LIMIT = 100;
const MAX_LIMIT = 1000;
const EXPORT_PAGE = 500;

/** Options of {@link createSqliteAuditLog}. */
export interface SqliteAuditLogOptions {
  /** Clock in epoch milliseconds (default `Date.now`). */
  now?: () => number;
}

type NewAuditRow = Omit<AuditRow, 'id'>;
type AuditRowValues = [
  at: number,
  type: string,
  outcome: string,
  reason: string | null,
  actor: string | null,
  subject: string | null,
  client_id: string | null,
  resource: string | null,
  jti: string | null,
  details: string | null,
];

/**
 * An audit log in the `audit_log` table (apply {@link auditMigrations} first). `recordCommitted` is a group commit
 * ({@link createGroupCommit}: one WAL commit for the records of many requests); `record` commits at once.
 */
export function createSqliteAuditLog(db: Database, options: SqliteAuditLogOptions = {}): AuditLog {
  const now = options.now ?? Date.now;
  // Positional parameters: binding them is cheaper than looking each name up in an object, on every request.
  const insertStatement = db.prepare<AuditRowValues>(
    `INSERT INTO audit_log (at, type, outcome, reason, actor, subject, client_id, resource, jti, details)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insert = (row: NewAuditRow): void => {
    insertStatement.run(
      row.at,
      row.type,
      row.outcome,
      row.reason,
      row.actor,
      row.subject,
      row.client_id,
      row.resource,
      row.jti,
      row.details,
    );
  };
  // One statement for every filter combination: a NULL parameter disables its condition.
  const select = db.prepare<[QueryParams], AuditRow>(
    `SELECT * FROM audit_log
     WHERE (@type IS NULL OR type = @type)
       AND (@outcome IS NULL OR outcome = @outcome)
       AND (@subject IS NULL OR subject = @subject)
       AND (@client_id IS NULL OR client_id = @client_id)
       AND (@since IS NULL OR at >= @since)
       AND (@until IS NULL OR at < @until)
       AND (@before_id IS NULL OR id < @before_id)
     ORDER BY id DESC LIMIT @limit`,
  );
  // Paged by id so a long export never holds the connection busy between pages.
  const page = db.prepare<[number, number], AuditRow>('SELECT * FROM audit_log WHERE id > ? ORDER BY id LIMIT ?');
  const inTransaction = db.transaction((work: () => void) => work());
  // Each caller of recordCommitted learns its outcome through its promise. Also flushed before reads, so a query sees
  // every record made before it.
  const waiting = createGroupCommit({ transaction: (work) => inTransaction.immediate(work) });
  const toRow = (event: AuditEvent): NewAuditRow => ({
    at: now(),
    type: event.type,
    outcome: event.outcome,
    reason: event.reason ?? null,
    actor: event.actor ?? null,
    subject: event.subject ?? null,
    client_id: event.clientId ?? null,
    resource: event.resource ?? null,
    jti: event.jti ?? null,
    details: event.details === undefined ? null : JSON.stringify(event.details),
  });

  return {
    record(event) {
      const row = toRow(event);
      // Inside a caller's transaction the record must share its fate, and the waiting records must not (their
      // callers would be told "committed" before the outer transaction commits): insert only this one.
      if (db.inTransaction) {
        insert(row);
        return;
      }
      // Waiting records are committed first, so ids follow the order of the calls.
      waiting.flush();
      inTransaction.immediate(() => insert(row));
    },
    async recordCommitted(event) {
      // Serialised now (a record that cannot be is refused alone), inserted with the batch.
      const row = toRow(event);
      await waiting.submit(() => insert(row));
    },
    query(filter = {}) {
      waiting.flush();
      const limit = Math.min(Math.max(Math.trunc(filter.limit ?? DEFAULT_LIMIT), 0), MAX_LIMIT);
      return select
        .all({
          type: filter.type ?? null,
          outcome: filter.outcome ?? null,
          subject: filter.subject ?? null,
          client_id: filter.clientId ?? null,
          since: filter.since ?? null,
          until: filter.until ?? null,
          before_id: filter.beforeId ?? null,
          limit,
        })
        .map(fromRow);
    },
    *exportJsonLines() {
      waiting.flush();
      let after = 0;
      for (;;) {
        const rows = page.all(after, EXPORT_PAGE);
        for (const row of rows) yield `${JSON.stringify(auditRecordView(fromRow(row)))}\n`;
        const last = rows.at(-1);
        if (last === undefined || rows.length < EXPORT_PAGE) return;
        after = last.id;
      }
    },
  };
}

function fromRow(row: AuditRow): AuditRecord {
  const record: AuditRecord = { id: row.id, at: row.at, type: row.type, outcome: row.outcome };
  if (row.reason !== null) record.reason = row.reason;
  if (row.actor !== null) record.actor = row.actor;
  if (row.subject !== null) record.subject = row.subject;
  if (row.client_id !== null) record.clientId = row.client_id;
  if (row.resource !== null) record.resource = row.resource;
  if (row.jti !== null) record.jti = row.jti;
  if (row.details !== null) record.details = JSON.parse(row.details) as Record<string, unknown>;
  return record;
}
