import { randomUUID } from 'node:crypto';
import type { AccessTokenPrincipal, ToolAuthentication } from '@ema/resource-server';
import type { McpAudit } from '../audit/mcp-audit.js';
import type { TicketStore } from '../tickets/sqlite-ticket-store.js';
import type { ToolLogger } from '../tools/tool-context.js';
import { createMcpServer } from './create-mcp-server.js';
import type { SessionAdmission, SessionRegistry } from './session-registry.js';
import { StreamableHttpTransport } from './streamable-http-transport.js';
import { ToolCallLedger } from './tool-call-ledger.js';
import { refuseInvalidToolCallParams } from './tool-call-params.js';

/** What a new session is made of. */
export interface OpenSessionOptions {
  sessions: SessionRegistry;
  /** The place the registry granted this owner ({@link SessionRegistry.admit}); the session is registered there. */
  admission: Extract<SessionAdmission, { admitted: true }>;
  tickets: TicketStore;
  audit: McpAudit;
  log: ToolLogger;
  /** What each tool requires of the sign-in behind the token (checked again inside the tool). */
  toolAuthentication: ToolAuthentication;
  now: () => Date;
}

/**
 * Creates the transport and MCP server of a new session, owned by the token that sends `initialize`. The session is
 * registered only once the transport has accepted the `initialize` request and minted its id (`randomUUID`: MCP
 * "Session Management" wants a globally unique, cryptographically secure id).
 */
export async function openSession(
  token: AccessTokenPrincipal,
  options: OpenSessionOptions,
): Promise<StreamableHttpTransport> {
  const { admission, sessions } = options;
  const ledger = new ToolCallLedger(options.audit, (error) =>
    options.log.error({ err: error }, 'tool call: the audit record could not be committed'),
  );
  const server = createMcpServer({
    tickets: options.tickets,
    ledger,
    log: options.log,
    toolAuthentication: options.toolAuthentication,
    now: options.now,
  });
  const transport: StreamableHttpTransport = new StreamableHttpTransport({
    sessionIdGenerator: () => randomUUID(),
    onsessioninitialized: (id) => {
      admission.complete({ id, owner: token.owner(), transport, close: () => server.close() });
    },
  });
  // Set before connect: the SDK's Protocol chains its own onclose after this one.
  transport.onclose = () => {
    if (transport.sessionId !== undefined) sessions.remove(transport.sessionId);
  };
  await server.connect(transport);
  // Order matters: the ledger wraps the guard, so refused calls are audited too.
  refuseInvalidToolCallParams(transport, options.log);
  ledger.attach(transport);
  return transport;
}
