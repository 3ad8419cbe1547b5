/** A JSON-RPC 2.0 error response not tied to a request (`id: null`), the shape the SDK transport uses for refusals. */
export interface JsonRpcErrorBody {
  jsonrpc: '2.0';
  error: { code: number; message: string };
  id: null;
}

/** JSON-RPC 2.0 §5.1 codes, plus the SDK's `-32000` (transport-level refusal) and `-32001` (session not found). */
export const JSON_RPC_PARSE_ERROR = -32700;
export const JSON_RPC_INVALID_REQUEST = -32600;
export const JSON_RPC_INTERNAL_ERROR = -32603;
export const JSON_RPC_SERVER_ERROR = -32000;
export const JSON_RPC_SESSION_NOT_FOUND = -32001;

/** Builds a JSON-RPC error body. The message is always ours, never an exception's text or a header's value. */
export function jsonRpcError(code: number, message: string): JsonRpcErrorBody {
  return { jsonrpc: '2.0', error: { code, message }, id: null };
}

/**
 * The error of a request the server cannot store now (its disk is full): `-32000` (the transport-level range the
 * SDK's refusals use) with the HTTP status's words, as an HTTP 503 body or, inside a session whose 200 has been
 * sent, as the JSON-RPC error of that request. Nothing of the request was committed; the client may send it again.
 */
export const SERVICE_UNAVAILABLE_MESSAGE = 'Service Unavailable: try again later';

/** The answer to an unknown session id, and to someone else's: the same bytes, so neither is an oracle. */
export const SESSION_NOT_FOUND: JsonRpcErrorBody = jsonRpcError(JSON_RPC_SESSION_NOT_FOUND, 'Session not found');
