/**
 * A tool call the way an MCP client makes it over Streamable HTTP: `initialize` (the server answers with an
 * `Mcp-Session-Id`), `notifications/initialized`, then `tools/call` in that session. Through the balancer, the
 * session's requests stick to the instance that opened it.
 */

const ACCEPT = 'application/json, text/event-stream';
const PROTOCOL_VERSION = '2025-06-18';

/** How the call ended: the HTTP status of each step and whether the tool answered with a result. */
export interface ToolCallAnswer {
  readonly status: number;
  readonly ok: boolean;
}

async function post(endpoint: string, token: string, body: unknown, sessionId?: string): Promise<Response> {
  return fetch(endpoint, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: ACCEPT,
      authorization: `Bearer ${token}`,
      ...(sessionId === undefined ? {} : { 'mcp-session-id': sessionId, 'mcp-protocol-version': PROTOCOL_VERSION }),
    },
    body: JSON.stringify(body),
  });
}

/** The JSON-RPC message of a response sent as JSON or as the first `data:` event of an SSE stream. */
async function message(response: Response): Promise<Record<string, unknown> | undefined> {
  const text = await response.text();
  const json = (response.headers.get('content-type') ?? '').startsWith('text/event-stream')
    ? text
        .split('\n')
        .filter((line) => line.startsWith('data:'))
        .map((line) => line.slice(5).trim())
        .find((data) => data.length > 0)
    : text;
  try {
    const parsed: unknown = JSON.parse(json ?? '');
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** Opens a session at `endpoint` and calls `list_tickets` in it with the access token. */
export async function callListTickets(endpoint: string, accessToken: string): Promise<ToolCallAnswer> {
  const initialize = await post(endpoint, accessToken, {
    jsonrpc: '2.0',
    id: 0,
    method: 'initialize',
    params: { protocolVersion: PROTOCOL_VERSION, capabilities: {}, clientInfo: { name: 'scaled-it', version: '0' } },
  });
  const sessionId = initialize.headers.get('mcp-session-id') ?? undefined;
  await message(initialize);
  if (initialize.status !== 200 || sessionId === undefined) return { status: initialize.status, ok: false };
  const initialized = await post(
    endpoint,
    accessToken,
    { jsonrpc: '2.0', method: 'notifications/initialized' },
    sessionId,
  );
  await initialized.body?.cancel();
  const call = await post(
    endpoint,
    accessToken,
    { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'list_tickets', arguments: {} } },
    sessionId,
  );
  const answer = await message(call);
  const result = answer?.result;
  const ok =
    call.status === 200 &&
    typeof result === 'object' &&
    result !== null &&
    (result as Record<string, unknown>).isError !== true;
  return { status: call.status, ok };
}
