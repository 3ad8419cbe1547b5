/**
 * The ticket schema. Migration ids start at 100 so they never collide with the shared migrations of
 * `@ema/oauth-server` (the audit log) that live in the same database file.
 */
import type { Migration } from '@ema/storage';

/** The tickets table. Status and priority are constrained in SQL too, so no writer can store a value the tools reject. */
const createTickets: Migration = {
  id: 100,
  name: 'create tickets',
  sql: `
    CREATE TABLE tickets (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      title TEXT NOT NULL,
      description TEXT NOT NULL,
      status TEXT NOT NULL CHECK (status IN ('open', 'in_progress', 'resolved', 'closed')),
      priority TEXT NOT NULL CHECK (priority IN ('low', 'medium', 'high', 'urgent')),
      reporter TEXT NOT NULL,
      assignee TEXT,
      created_at INTEGER NOT NULL,
      updated_at INTEGER NOT NULL
    );
    CREATE INDEX tickets_status ON tickets (status);
  `,
};

/**
 * The demo tickets (docs/demo-world.md: "seed a handful of tickets so that the first list_tickets shows something"). A
 * migration runs exactly once per database, so the seed is applied on first start only and never re-inserted after
 * people changed or closed these tickets.
 */
const seedTickets: Migration = {
  id: 101,
  name: 'seed demo tickets',
  sql: `
    INSERT INTO tickets (title, description, status, priority, reporter, assignee, created_at, updated_at) VALUES
      ('VPN drops every 30 minutes', 'Since the client update the VPN disconnects roughly every half hour.', 'open', 'high', 'bob@acme.example', NULL, 1767225600000, 1767225600000),
      ('Onboarding laptop for new hire', 'Prepare a laptop with the engineering image for the new hire starting Monday.', 'in_progress', 'medium', 'alice@acme.example', 'admin@acme.example', 1767312000000, 1767398400000),
      ('Expense report export fails', 'Exporting the quarterly expense report to CSV returns an empty file.', 'open', 'medium', 'bob@acme.example', NULL, 1767484800000, 1767484800000),
      ('Rotate staging database credentials', 'Quarterly rotation of the staging database credentials.', 'resolved', 'low', 'alice@acme.example', 'alice@acme.example', 1767571200000, 1767657600000),
      ('Printer on floor 3 jams', 'The printer near the kitchen jams on double-sided jobs.', 'closed', 'low', 'carol@acme.example', 'admin@acme.example', 1767744000000, 1767830400000);
  `,
};

/** Migrations of the ticket database, in order. */
export const ticketMigrations: readonly Migration[] = [createTickets, seedTickets];
