import { AccessTokenPrincipal } from '@ema/resource-server';
import { isStorageUnavailable } from '@ema/storage';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type {
  JSONRPCErrorResponse,
  JSONRPCMessage,
  JSONRPCResultResponse,
  RequestId,
} from '@modelcontextprotocol/sdk/types.js';
import type { McpAudit, ToolCallOutcome } from '../audit/mcp-audit.js';
import { JSON_RPC_INTERNAL_ERROR, JSON_RPC_SERVER_ERROR, SERVICE_UNAVAILABLE_MESSAGE } from './json-rpc-error.js';
import { isErrorResponse, isRequest, isResponse } from './jsonrpc-kind.js';

/** What a tool handler decided about a call: the outcome its audit record states. */
export interface ToolCallNote {
  outcome: ToolCallOutcome;
  reason?: string;
  details?: Record<string, unknown>;
}

interface PendingCall {
  tool: string;
  caller: AccessTokenPrincipal | undefined;
  note?: ToolCallNote;
  /** Set by {@link ToolCallLedger.commit}: the record was committed with the tool's writes, or both failed. */
  committed?: { ok: true } | { ok: false; error: unknown };
}

/** A tool's writes and its audit record could not be committed: both were rolled back. */
export class ToolCallNotCommittedError extends Error {
  override readonly name = 'ToolCallNotCommittedError';
  /** Wraps the failure of the record's insert or of the COMMIT. */
  constructor(cause: unknown) {
    super('the tool call and its audit record could not be committed', { cause });
  }
}

/**
 * Audits every `tools/call` of one session exactly once, including the calls the SDK refuses before any tool code
 * runs (unknown tool, arguments failing the input schema). It sits on the session's transport: it sees the request
 * come in and its response go out. A tool that runs commits its writes and its record together ({@link commit}); a
 * call refused before that is recorded when its response leaves, with what the handler {@link note}d.
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
      // error instead of the result (the outcome was not recorded, so it is not reported): "try again later" when the
      // storage is unavailable (a full disk), an internal error otherwise.
      let outgoing = message;
      try {
        await this.#finish(message);
      } catch (error) {
        this.#onAuditFailure(error);
        if ('id' in message && message.id !== undefined) {
          outgoing = {
            jsonrpc: '2.0',
            id: message.id,
            error: isStorageUnavailable(error)
              ? { code: JSON_RPC_SERVER_ERROR, message: SERVICE_UNAVAILABLE_MESSAGE }
              : { code: JSON_RPC_INTERNAL_ERROR, message: 'Internal error' },
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

  /**
   * Runs a tool's statements and commits them together with the call's audit record, whose outcome `describe`
   * derives from the result: both are committed, or neither is (one item of the group commit). Resolves with the
   * result once committed, so the response that reports it is sent after. When `work` throws, its writes are rolled
   * back and its error is rethrown (the handler notes the failure, recorded when the response leaves). When the
   * record or the COMMIT fails, or the storage is unavailable (a full disk) for `work`'s own writes, rejects with
   * {@link ToolCallNotCommittedError}, and the response becomes a JSON-RPC error whatever the handler returns.
   */
  async commit<T>(requestId: RequestId, work: () => T, describe: (result: T) => ToolCallNote): Promise<T> {
    const call = this.#pending.get(requestId);
    // Not a call this ledger saw come in (a handler run outside a transport): nothing to record it with.
    if (call === undefined) return work();
    let ran = false;
    try {
      const result = await this.#audit.toolCallWith(
        () => {
          const done = work();
          ran = true;
          return done;
        },
        (done) => ({ ...this.#identify(call), ...describe(done) }),
      );
      call.committed = { ok: true };
      return result;
    } catch (error) {
      // The tool's own failure is its outcome, recorded when the response leaves; a storage outage in its writes is
      // not (nothing could be recorded either): like a failed record, it is answered "try again later".
      if (!ran && !isStorageUnavailable(error)) throw error;
      call.committed = { ok: false, error };
      throw new ToolCallNotCommittedError(error);
    }
  }

  #begin(message: JSONRPCMessage, caller: AccessTokenPrincipal | undefined): void {
    if (!isRequest(message) || message.method !== 'tools/call') return;
    const name = message.params?.name;
    this.#pending.set(message.id, { tool: typeof name === 'string' ? name : '(missing)', caller });
  }

  #identify(call: PendingCall): { tool: string; caller: AccessTokenPrincipal | undefined; sessionId?: string } {
    return { tool: call.tool, caller: call.caller, ...(this.#sessionId ? { sessionId: this.#sessionId } : {}) };
  }

  async #finish(message: JSONRPCMessage): Promise<void> {
    if (!isResponse(message)) return;
    if (message.id === undefined) return;
    const call = this.#pending.get(message.id);
    if (call === undefined) return;
    this.#pending.delete(message.id);
    if (call.committed?.ok === true) return;
    if (call.committed?.ok === false) throw call.committed.error;
    await this.#audit.toolCall({ ...this.#identify(call), ...outcomeOf(call, message) });
  }
}

/** What a finished call's record says: the tool handler's note, or what the response itself shows. */
function outcomeOf(call: PendingCall, response: JSONRPCResultResponse | JSONRPCErrorResponse): ToolCallNote {
  if (call.note !== undefined) return call.note;
  if (isErrorResponse(response)) {
    return { outcome: 'failure', reason: 'protocol_error', details: { code: response.error.code } };
  }
  // No tool handler ran: the SDK refused the call (unknown tool, or arguments failing the input schema).
  if (response.result.isError === true) return { outcome: 'failure', reason: 'invalid_request' };
  return { outcome: 'success' };
}
