import Database from 'better-sqlite3';

/** A ticket as `list_tickets` answers it (the shape of Acme Tickets' `Ticket`). */
export interface PeerTicket {
  id: number;
  title: string;
  description: string;
  status: string;
  priority: string;
  reporter: string;
  assignee: string | null;
  createdAt: string;
  updatedAt: string;
}

/** The peers' read of the tickets: the same rows, the same query and the same shape as Acme Tickets' store. */
export interface TicketReader {
  list(limit: number): PeerTicket[];
}

interface TicketRow {
  id: number;
  title: string;
  description: string;
  status: string;
  priority: string;
  reporter: string;
  assignee: string | null;
  created_at: number;
  updated_at: number;
}

/**
 * Opens Acme Tickets' own database read-only (SQLite in WAL mode lets another process read while it writes), so the
 * peer lists exactly the tickets our server lists, with the same statement.
 */
export function openTicketReader(file: string): TicketReader {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  const listAll = db.prepare<[number], TicketRow>('SELECT * FROM tickets ORDER BY id LIMIT ?');
  return {
    list: (limit) =>
      listAll.all(limit).map((row) => ({
        id: row.id,
        title: row.title,
        description: row.description,
        status: row.status,
        priority: row.priority,
        reporter: row.reporter,
        assignee: row.assignee,
        createdAt: new Date(row.created_at).toISOString(),
        updatedAt: new Date(row.updated_at).toISOString(),
      })),
  };
}
