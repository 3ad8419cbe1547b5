import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import {
  isJSONRPCErrorResponse,
  isJSONRPCRequest,
  isJSONRPCResultResponse,
  type JSONRPCMessage,
  type RequestId,
} from '@modelcontextprotocol/sdk/types.js';
import type { McpAudit, ToolCallOutcome } from '../audit/mcp-audit.js';
import { AccessTokenPrincipal } from '../auth/access-token-principal.js';

interface PendingCall {
  tool: string;
  caller: AccessTokenPrincipal | undefined;
  note?: { outcome: ToolCallOutcome; reason?: string; details?: Record<string, unknown> };
}

/**
 * Audits every `tools/call` of one session exactly once, including the calls the SDK refuses before any tool code
 * runs (unknown tool, arguments failing the input schema). It sits on the session's transport: it sees the request
 * come in and its response go out; tool handlers add what only they know (reason, ticket id) with {@link note}.
 */
export class ToolCallLedger {
  readonly #pending = new Map<RequestId, PendingCall>();
  readonly #audit: McpAudit;
  #sessionId: string | undefined;

  /** Creates a ledger writing to `audit`. */
  constructor(audit: McpAudit) {
    this.#audit = audit;
  }

  /** Starts watching a transport; call after `McpServer.connect`, which installs the transport's `onmessage`. */
  attach(transport: Transport): void {
    const receive = transport.onmessage;
    transport.onmessage = (message, extra) => {
      this.#sessionId ??= transport.sessionId;
      this.#begin(message, AccessTokenPrincipal.fromAuthInfo(extra?.authInfo));
      receive?.(message, extra);
    };
    const send = transport.send.bind(transport);
    transport.send = async (message, options) => {
      this.#finish(message);
      await send(message, options);
    };
  }

  /** Records what a tool handler decided about the call with this JSON-RPC id. */
  note(requestId: RequestId, outcome: ToolCallOutcome, reason?: string, details?: Record<string, unknown>): void {
    const call = this.#pending.get(requestId);
    if (call === undefined) return;
    call.note = {
      outcome,
      ...(reason === undefined ? {} : { reason }),
      ...(details === undefined ? {} : { details }),
    };
  }

  #begin(message: JSONRPCMessage, caller: AccessTokenPrincipal | undefined): void {
    if (!isJSONRPCRequest(message) || message.method !== 'tools/call') return;
    const name = message.params?.name;
    this.#pending.set(message.id, { tool: typeof name === 'string' ? name : '(missing)', caller });
  }

  #finish(message: JSONRPCMessage): void {
    if (!isJSONRPCResultResponse(message) && !isJSONRPCErrorResponse(message)) return;
    if (message.id === undefined) return;
    const call = this.#pending.get(message.id);
    if (call === undefined) return;
    this.#pending.delete(message.id);
    const base = { tool: call.tool, caller: call.caller, ...(this.#sessionId ? { sessionId: this.#sessionId } : {}) };
    if (call.note !== undefined) {
      this.#audit.toolCall({ ...base, ...call.note });
    } else if (isJSONRPCErrorResponse(message)) {
      this.#audit.toolCall({
        ...base,
        outcome: 'failure',
        reason: 'protocol_error',
        details: { code: message.error.code },
      });
    } else if (message.result.isError === true) {
      // No tool handler ran: the SDK refused the call (unknown tool, or arguments failing the input schema).
      this.#audit.toolCall({ ...base, outcome: 'failure', reason: 'invalid_request' });
    } else {
      this.#audit.toolCall({ ...base, outcome: 'success' });
    }
  }
}
