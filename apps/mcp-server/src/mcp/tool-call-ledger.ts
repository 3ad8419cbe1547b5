import { AccessTokenPrincipal } from '@ema/resource-server';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import {
  isJSONRPCErrorResponse,
  isJSONRPCRequest,
  isJSONRPCResultResponse,
  type JSONRPCErrorResponse,
  type JSONRPCMessage,
  type JSONRPCResultResponse,
  type RequestId,
} from '@modelcontextprotocol/sdk/types.js';
import type { McpAudit, ToolCallOutcome } from '../audit/mcp-audit.js';
import { JSON_RPC_INTERNAL_ERROR } from './json-rpc-error.js';

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

  readonly #onAuditFailure: (error: unknown) => void;

  /** Creates a ledger writing to `audit`; `onAuditFailure` hears of a record that could not be committed. */
  constructor(audit: McpAudit, onAuditFailure: (error: unknown) => void) {
    this.#audit = audit;
    this.#onAuditFailure = onAuditFailure;
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
      // The call's audit record is committed before its response leaves; if it cannot be, the client gets a JSON-RPC
      // internal error instead of the result (the outcome was not recorded, so it is not reported).
      let outgoing = message;
      try {
        await this.#finish(message);
      } catch (error) {
        this.#onAuditFailure(error);
        if ('id' in message && message.id !== undefined) {
          outgoing = {
            jsonrpc: '2.0',
            id: message.id,
            error: { code: JSON_RPC_INTERNAL_ERROR, message: 'Internal error' },
          };
        }
      }
      await send(outgoing, options);
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

  async #finish(message: JSONRPCMessage): Promise<void> {
    if (!isJSONRPCResultResponse(message) && !isJSONRPCErrorResponse(message)) return;
    if (message.id === undefined) return;
    const call = this.#pending.get(message.id);
    if (call === undefined) return;
    this.#pending.delete(message.id);
    const base = { tool: call.tool, caller: call.caller, ...(this.#sessionId ? { sessionId: this.#sessionId } : {}) };
    await this.#audit.toolCall({ ...base, ...outcomeOf(call, message) });
  }
}

/** What a finished call's record says: the tool handler's note, or what the response itself shows. */
function outcomeOf(
  call: PendingCall,
  response: JSONRPCResultResponse | JSONRPCErrorResponse,
): NonNullable<PendingCall['note']> {
  if (call.note !== undefined) return call.note;
  if (isJSONRPCErrorResponse(response)) {
    return { outcome: 'failure', reason: 'protocol_error', details: { code: response.error.code } };
  }
  // No tool handler ran: the SDK refused the call (unknown tool, or arguments failing the input schema).
  if (response.result.isError === true) return { outcome: 'failure', reason: 'invalid_request' };
  return { outcome: 'success' };
}
