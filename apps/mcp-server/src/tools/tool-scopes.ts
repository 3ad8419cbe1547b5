/**
 * The scopes of "Acme Tickets" and which tool needs which (DEMO.md). This one table drives the scope check inside
 * every tool, the HTTP-level `insufficient_scope` challenge and `scopes_supported` in the protected resource metadata.
 */
import type { ToolScopes } from '@ema/resource-server';

export const SCOPE_TICKETS_READ = 'tickets.read';
export const SCOPE_TICKETS_WRITE = 'tickets.write';

/** RFC 9728 §2 `scopes_supported`, in the order challenges list them. */
export const SCOPES_SUPPORTED: readonly string[] = [SCOPE_TICKETS_READ, SCOPE_TICKETS_WRITE];

export const TOOL_NAMES = ['whoami', 'list_tickets', 'get_ticket', 'create_ticket', 'update_ticket'] as const;
export type ToolName = (typeof TOOL_NAMES)[number];

/**
 * The `scope` of the `401` challenge to a request without a token: what a client should ask for first. MCP-AUTH
 * (scope selection, least privilege): reading; writing is asked for when a write tool is first called (`403
 * insufficient_scope`), which is also where the organization's policy may ask for a stronger sign-in.
 */
export const INITIAL_SCOPES: readonly string[] = [SCOPE_TICKETS_READ];

/** The scopes each tool needs; `whoami` works with any valid access token. */
export const TOOL_SCOPES: Readonly<Record<ToolName, readonly string[]>> = {
  whoami: [],
  list_tickets: [SCOPE_TICKETS_READ],
  get_ticket: [SCOPE_TICKETS_READ],
  create_ticket: [SCOPE_TICKETS_WRITE],
  update_ticket: [SCOPE_TICKETS_WRITE],
};

/** The table in the shape the scope challenge of `@ema/resource-server` reads. */
export const TICKETS_TOOL_SCOPES: ToolScopes = { scopesSupported: SCOPES_SUPPORTED, tools: TOOL_SCOPES };
