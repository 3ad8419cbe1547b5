/**
 * MCP over Streamable HTTP with plain `fetch`, as the fault tests drive it: open a session (`initialize`, then the
 * `initialized` notification), then call tools on it. Responses come as SSE or JSON; each JSON-RPC message is read.
 */

/** A session of one bearer token on one MCP endpoint. */
export interface McpSession {
  /** `tools/call`: the JSON-RPC response, or `undefined` when the HTTP answer was not 200. */
  callTool(name: string, args: Record<string, unknown>): Promise<JsonRpcResponse | undefined>;
}

/** A JSON-RPC response, as far as the tests read it. */
export interface JsonRpcResponse {
  id?: number;
  result?: { isError?: boolean; structuredContent?: Record<string, unknown> };
  error?: { code: number; message: string };
}

const PROTOCOL_VERSION = '2025-11-25';

function headers(token: string, session?: string): Record<string, string> {
  return {
    authorization: `Bearer ${token}`,
    'content-type': 'application/json',
    accept: 'application/json, text/event-stream',
    ...(session === undefined ? {} : { 'mcp-session-id': session, 'mcp-protocol-version': PROTOCOL_VERSION }),
  };
}

async function messages(response: Response): Promise<JsonRpcResponse[]> {
  const body = await response.text();
  if (response.headers.get('content-type')?.startsWith('application/json')) return [JSON.parse(body)];
  return body
    .split('\n')
    .filter((line) => line.startsWith('data: '))
    .map((line) => JSON.parse(line.slice('data: '.length)) as JsonRpcResponse);
}

/** Opens a session; throws when the server does not accept it. */
export async function openMcpSession(endpoint: string, token: string): Promise<McpSession> {
  const initialize = await fetch(endpoint, {
    method: 'POST',
    headers: headers(token),
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: 0,
      method: 'initialize',
      params: { protocolVersion: PROTOCOL_VERSION, capabilities: {}, clientInfo: { name: 'fault-test', version: '0' } },
    }),
  });
  const session = initialize.headers.get('mcp-session-id');
  await initialize.text();
  if (initialize.status !== 200 || session === null) throw new Error(`initialize answered ${initialize.status}`);
  const initialized = await fetch(endpoint, {
    method: 'POST',
    headers: headers(token, session),
    body: JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }),
  });
  await initialized.text();
  let id = 0;
  return {
    async callTool(name, args) {
      id += 1;
      const response = await fetch(endpoint, {
        method: 'POST',
        headers: headers(token, session),
        body: JSON.stringify({ jsonrpc: '2.0', id, method: 'tools/call', params: { name, arguments: args } }),
      });
      if (response.status !== 200) {
        await response.text();
        return undefined;
      }
      return (await messages(response)).find((message) => message.id === id);
    },
  };
}
