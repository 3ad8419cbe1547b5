import type { SqlDatabase } from '@ema/storage';
import type { NewTicket, Ticket, TicketChanges, TicketPriority, TicketStatus } from './ticket.js';

/** The narrow storage adapter the tools use. */
export interface TicketStore {
  list(filter: { status?: TicketStatus; limit: number }): Ticket[];
  find(id: number): Ticket | undefined;
  create(ticket: NewTicket): Ticket;
  /** Applies the changes; `undefined` when no ticket has that id. */
  update(id: number, changes: TicketChanges): Ticket | undefined;
}

interface TicketRow {
  id: number;
  title: string;
  description: string;
  status: TicketStatus;
  priority: TicketPriority;
  reporter: string;
  assignee: string | null;
  created_at: number;
  updated_at: number;
}

function toTicket(row: TicketRow): Ticket {
  return {
    id: row.id,
    title: row.title,
    description: row.description,
    status: row.status,
    priority: row.priority,
    reporter: row.reporter,
    assignee: row.assignee,
    createdAt: new Date(row.created_at).toISOString(),
    updatedAt: new Date(row.updated_at).toISOString(),
  };
}

/**
 * A {@link TicketStore} over the `tickets` table (see `migrations.ts`), on SQLite or PostgreSQL (the same queries;
 * ids come from the rowid there and from an identity here). `now` is injectable for tests.
 */
export function createSqliteTicketStore(db: SqlDatabase, now: () => number = Date.now): TicketStore {
  const listAll = db.prepare<[number], TicketRow>('SELECT * FROM tickets ORDER BY id LIMIT ?');
  const listByStatus = db.prepare<[string, number], TicketRow>(
    'SELECT * FROM tickets WHERE status = ? ORDER BY id LIMIT ?',
  );
  const findOne = db.prepare<[number], TicketRow>('SELECT * FROM tickets WHERE id = ?');
  const insert = db.prepare<[string, string, string, string, number, number], TicketRow>(
    `INSERT INTO tickets (title, description, status, priority, reporter, assignee, created_at, updated_at)
     VALUES (?, ?, 'open', ?, ?, NULL, ?, ?) RETURNING *`,
  );
  const updateOne = db.prepare<
    {
      id: number;
      status: string | null;
      priority: string | null;
      setAssignee: number;
      assignee: string | null;
      now: number;
    },
    TicketRow
  >(
    `UPDATE tickets SET
       status = COALESCE(@status, status),
       priority = COALESCE(@priority, priority),
       assignee = CASE WHEN @setAssignee = 1 THEN @assignee ELSE assignee END,
       updated_at = @now
     WHERE id = @id RETURNING *`,
  );

  return {
    list({ status, limit }) {
      const rows = status === undefined ? listAll.all(limit) : listByStatus.all(status, limit);
      return rows.map(toTicket);
    },
    find(id) {
      const row = findOne.get(id);
      return row === undefined ? undefined : toTicket(row);
    },
    create(ticket) {
      const at = now();
      const row = insert.get(ticket.title, ticket.description, ticket.priority, ticket.reporter, at, at);
      if (row === undefined) throw new Error('INSERT … RETURNING returned no row');
      return toTicket(row);
    },
    update(id, changes) {
      const row = updateOne.get({
        id,
        status: changes.status ?? null,
        priority: changes.priority ?? null,
        setAssignee: changes.assignee === undefined ? 0 : 1,
        assignee: changes.assignee ?? null,
        now: now(),
      });
      return row === undefined ? undefined : toTicket(row);
    },
  };
}
