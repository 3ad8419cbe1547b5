import type { ToolAuthentication } from '@ema/resource-server';
import type { ToolCallLedger } from '../mcp/tool-call-ledger.js';
import type { TicketStore } from '../tickets/sqlite-ticket-store.js';

/** A minimal structured logger for unexpected tool failures. */
export interface ToolLogger {
  error(object: object, message: string): void;
}

/** What every tool of one MCP session works with. */
export interface ToolContext {
  tickets: TicketStore;
  ledger: ToolCallLedger;
  log: ToolLogger;
  /** What each tool requires of the sign-in behind the token (RFC 9470). */
  toolAuthentication: ToolAuthentication;
  now: () => Date;
}
