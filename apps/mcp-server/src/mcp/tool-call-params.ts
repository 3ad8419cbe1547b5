import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { ErrorCode } from '@modelcontextprotocol/sdk/types.js';
import type { ToolLogger } from '../tools/tool-context.js';
import { isRequest } from './jsonrpc-kind.js';

/**
 * Why the `params` of a `tools/call` are structurally invalid, or `undefined` when they are fine. Only the shape MCP
 * "Tools" fixes for every tool (`name` a string, `arguments` an object when present); what a tool's own input schema
 * refuses stays a tool execution error (`isError: true`) from the SDK, which the model can read and correct.
 */
export function toolCallParamsProblem(params: unknown): string | undefined {
  const { name, arguments: args } = (params ?? {}) as { name?: unknown; arguments?: unknown };
  if (typeof name !== 'string') return 'Invalid params: name must be a string';
  if (args !== undefined && (typeof args !== 'object' || args === null || Array.isArray(args))) {
    return 'Invalid params: arguments must be an object';
  }
  return undefined;
}

/**
 * Answers a `tools/call` with structurally invalid `params` with JSON-RPC 2.0 §5.1 `-32602` (Invalid params) on the
 * session's transport, before the SDK's request schema turns it into `-32603` with Zod's text. Attach after
 * `McpServer.connect` and before the {@link ToolCallLedger}, so the ledger still sees the request and audits the
 * refusal. Per message, so one bad call in a batch does not sink the others.
 */
export function refuseInvalidToolCallParams(transport: Transport, log: ToolLogger): void {
  const receive = transport.onmessage;
  transport.onmessage = (message, extra) => {
    if (isRequest(message) && message.method === 'tools/call') {
      const problem = toolCallParamsProblem(message.params);
      if (problem !== undefined) {
        const error = { code: ErrorCode.InvalidParams, message: problem };
        transport
          .send({ jsonrpc: '2.0', id: message.id, error })
          .catch((cause: unknown) => log.error({ err: cause }, 'MCP refusal not sent'));
        return;
      }
    }
    receive?.(message, extra);
  };
}
