import {
  isInitializeRequest,
  type JSONRPCErrorResponse,
  type JSONRPCMessage,
  type JSONRPCRequest,
  type JSONRPCResultResponse,
} from '@modelcontextprotocol/sdk/types.js';

/**
 * The kind of a JSON-RPC message that is already known to be one: an incoming message the transport parsed with
 * `JSONRPCMessageSchema`, or an outgoing one the SDK built. The SDK's `isJSONRPCRequest` and its siblings run a
 * full Zod parse for each question (and build an error object whenever the answer is no); asked four or five times
 * per tool call, they were the MCP server's largest source of short-lived garbage under load. The union's members
 * are strict objects, so after that one parse a message's keys decide its kind exactly.
 */
export function isRequest(message: JSONRPCMessage): message is JSONRPCRequest {
  return 'method' in message && 'id' in message;
}

/** A result or an error answering a request. */
export function isResponse(message: JSONRPCMessage): message is JSONRPCResultResponse | JSONRPCErrorResponse {
  return 'result' in message || 'error' in message;
}

/** An error answering a request. */
export function isErrorResponse(message: JSONRPCMessage): message is JSONRPCErrorResponse {
  return 'error' in message;
}

/** An `initialize` request whose params are valid: the SDK's full check, for the one message per session that needs it. */
export function isInitialize(message: JSONRPCMessage): boolean {
  return isRequest(message) && message.method === 'initialize' && isInitializeRequest(message);
}
