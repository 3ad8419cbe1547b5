import { MEDIA_TYPE_JSON } from '@ema/protocol';
import type { HttpClient, HttpResponse } from './http-client.js';

/** MCP Streamable HTTP: a client POST must accept both JSON and an SSE stream. */
const ACCEPT = 'application/json, text/event-stream';
/** The protocol revision the benchmark offers in `initialize`; the server's answer decides. */
const OFFERED_PROTOCOL_VERSION = '2025-06-18';

/** An initialized MCP session: what every later request must carry. */
export interface McpSession {
  sessionId: string;
  protocolVersion: string;
}

/** Headers of an MCP POST with a bearer token, inside `session` once there is one. */
export function mcpHeaders(accessToken: string, session?: McpSession): Record<string, string> {
  return {
    'content-type': MEDIA_TYPE_JSON,
    accept: ACCEPT,
    authorization: `Bearer ${accessToken}`,
    ...(session === undefined
      ? {}
      : { 'mcp-session-id': session.sessionId, 'mcp-protocol-version': session.protocolVersion }),
  };
}

/** The JSON-RPC body of a `tools/call`. */
export function toolsCallBody(id: number, name: string, args: Record<string, unknown> = {}): string {
  return JSON.stringify({ jsonrpc: '2.0', id, method: 'tools/call', params: { name, arguments: args } });
}

/**
 * Opens a session the way an MCP client does: `initialize`, read `Mcp-Session-Id` and the negotiated revision, then
 * `notifications/initialized`.
 */
export async function openMcpSession(http: HttpClient, endpoint: string, accessToken: string): Promise<McpSession> {
  const initialize = await http.send(endpoint, {
    method: 'POST',
    headers: mcpHeaders(accessToken),
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: 0,
      method: 'initialize',
      params: {
        protocolVersion: OFFERED_PROTOCOL_VERSION,
        capabilities: {},
        clientInfo: { name: 'ema-benchmarks', version: '0.1.0' },
      },
    }),
  });
  const sessionId = initialize.headers['mcp-session-id'];
  const message = jsonRpcMessage(initialize);
  const result = isRecord(message) && isRecord(message.result) ? message.result : undefined;
  if (initialize.status !== 200 || typeof sessionId !== 'string' || result === undefined) {
    throw new Error(`MCP initialize failed: ${initialize.status} ${initialize.body.slice(0, 300)}`);
  }
  const session: McpSession = {
    sessionId,
    protocolVersion: typeof result.protocolVersion === 'string' ? result.protocolVersion : OFFERED_PROTOCOL_VERSION,
  };
  const initialized = await http.send(endpoint, {
    method: 'POST',
    headers: mcpHeaders(accessToken, session),
    body: JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }),
  });
  if (initialized.status !== 202 && initialized.status !== 200) {
    throw new Error(`MCP notifications/initialized failed: ${initialized.status} ${initialized.body.slice(0, 300)}`);
  }
  return session;
}

/** Ends a session (MCP "Session Management": an HTTP DELETE with its `Mcp-Session-Id`). */
export async function closeMcpSession(
  http: HttpClient,
  endpoint: string,
  accessToken: string,
  session: McpSession,
): Promise<void> {
  const { 'content-type': _none, ...headers } = mcpHeaders(accessToken, session);
  const response = await http.send(endpoint, { method: 'DELETE', headers });
  if (response.status !== 200 && response.status !== 204) {
    throw new Error(`MCP DELETE failed: ${response.status} ${response.body.slice(0, 300)}`);
  }
}

/** Calls a tool in `session`; resolves to whether the server answered 200 with a result that is not a tool error. */
export async function callTool(
  http: HttpClient,
  endpoint: string,
  accessToken: string,
  session: McpSession,
  request: { id: number; name: string; args?: Record<string, unknown> },
): Promise<{ status: number; ok: boolean; body: string }> {
  const response = await http.send(endpoint, {
    method: 'POST',
    headers: mcpHeaders(accessToken, session),
    body: toolsCallBody(request.id, request.name, request.args),
  });
  return { status: response.status, ok: response.status === 200 && isToolSuccess(response), body: response.body };
}

/** True when the response carries a JSON-RPC result whose `isError` is not set (MCP tools/call). */
export function isToolSuccess(response: HttpResponse): boolean {
  const message = jsonRpcMessage(response);
  return isRecord(message) && isRecord(message.result) && message.result.isError !== true;
}

/** The JSON-RPC message of a response, whether sent as JSON or as the first `data:` event of an SSE stream. */
export function jsonRpcMessage(response: HttpResponse): unknown {
  const contentType = String(response.headers['content-type'] ?? '');
  const text = contentType.startsWith('text/event-stream')
    ? response.body
        .split('\n')
        .filter((line) => line.startsWith('data:'))
        .map((line) => line.slice(5).trim())
        .find((data) => data.length > 0)
    : response.body;
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
