/** The ticket model of "Acme Tickets" (docs/demo-world.md). */

/** The life cycle of a ticket. */
export const TICKET_STATUSES = ['open', 'in_progress', 'resolved', 'closed'] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];

export const TICKET_PRIORITIES = ['low', 'medium', 'high', 'urgent'] as const;
export type TicketPriority = (typeof TICKET_PRIORITIES)[number];

/** A ticket as the tools return it. */
export interface Ticket {
  id: number;
  title: string;
  description: string;
  status: TicketStatus;
  priority: TicketPriority;
  /** Who opened the ticket: the caller's email when the access token carries one, else its subject. */
  reporter: string;
  assignee: string | null;
  /** ISO 8601 timestamps. */
  createdAt: string;
  updatedAt: string;
}

/** What a caller supplies to open a ticket; the reporter is taken from the access token, never from input. */
export interface NewTicket {
  title: string;
  description: string;
  priority: TicketPriority;
  reporter: string;
}

/** The fields `update_ticket` may change; `assignee: null` unassigns. */
export interface TicketChanges {
  status?: TicketStatus;
  priority?: TicketPriority;
  assignee?: string | null;
}
