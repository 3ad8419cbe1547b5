/**
 * The scopes of "Acme Tickets" and which tool needs which (docs/demo-world.md). This one table drives the scope check inside
 * every tool, the HTTP-level `insufficient_scope` challenge and `scopes_supported` in the protected resource metadata.
 */
import { AUTHORIZATION_DETAILS_TYPE_TICKETS } from '@ema/protocol';
import type { ToolAuthorizationDetails, ToolScopes } from '@ema/resource-server';

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

/**
 * RFC 9396: what each tool needs when the access token carries `authorization_details` (`urn:acme:tickets`,
 * docs/protocol.md): its action, and for a tool acting on one ticket the argument naming it (a detail with an
 * `identifier` allows that ticket only; `list_tickets` shows only the tickets allowed). `whoami` needs none. Checked
 * in every tool besides its scope.
 */
export const TOOL_AUTHORIZATION_DETAILS: ToolAuthorizationDetails = {
  list_tickets: { type: AUTHORIZATION_DETAILS_TYPE_TICKETS, action: 'read', collection: true },
  get_ticket: { type: AUTHORIZATION_DETAILS_TYPE_TICKETS, action: 'read', identifierArgument: 'id' },
  create_ticket: { type: AUTHORIZATION_DETAILS_TYPE_TICKETS, action: 'create' },
  update_ticket: { type: AUTHORIZATION_DETAILS_TYPE_TICKETS, action: 'update', identifierArgument: 'id' },
};
