import {
  type StreamableHTTPClientTransport,
  StreamableHTTPError,
} from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditRecords, connectClient, mcpHeaders, type RunningServer, startServer } from '../support/server.js';
import { jsonRpcMessages } from '../support/sse.js';
import { createTestKey, mintToken, PRM_URL, type TestKey } from '../support/tokens.js';

const CREATE = { name: 'create_ticket', arguments: { title: 'New laptop', description: 'Mine is broken' } };

describe('insufficient scope at the HTTP layer', () => {
  let key: TestKey;
  let server: RunningServer;

  beforeAll(async () => {
    key = await createTestKey();
    server = await startServer(key.keys);
  });
  afterAll(() => server.close());

  function toolCall(session: string, token: string, params: object, id = 7): Promise<Response> {
    return fetch(server.url, {
      method: 'POST',
      headers: mcpHeaders({
        authorization: `Bearer ${token}`,
        'mcp-session-id': session,
        'mcp-protocol-version': '2025-11-25',
      }),
      body: JSON.stringify({ jsonrpc: '2.0', id, method: 'tools/call', params }),
    });
  }

  it('[MCP-AUTH-403-INSUFFICIENT-SCOPE] answers a read-only token calling create_ticket with 403 and the scopes it needs', async () => {
    const readOnly = await mintToken(key, { scope: 'tickets.read', jti: 'at-read-only' });
    const client = await connectClient(server, readOnly);
    // The SDK's own transport sees the 403 (with an auth provider it would re-authorize with the challenged scope).
    const refusal = await client.callTool(CREATE).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(refusal).toBeInstanceOf(StreamableHTTPError);
    expect((refusal as StreamableHTTPError).code).toBe(403);

    const session = (client.transport as StreamableHTTPClientTransport).sessionId ?? '';
    const response = await toolCall(session, readOnly, CREATE);
    expect(response.status).toBe(403);
    // MCP-AUTH "Scope challenge handling", recommended approach: the scopes already granted plus the missing one.
    expect(response.headers.get('www-authenticate')).toBe(
      `Bearer error="insufficient_scope", error_description="create_ticket requires the scope tickets.write", resource_metadata="${PRM_URL}", scope="tickets.read tickets.write"`,
    );
    expect(await response.json()).toStrictEqual({
      error: 'insufficient_scope',
      error_description: 'create_ticket requires the scope tickets.write',
    });
    // Reading still works on the same session.
    expect((await client.callTool({ name: 'list_tickets', arguments: {} })).isError).toBeUndefined();
    await client.close();
  });

  it('[MCP-AUTH-403-INSUFFICIENT-SCOPE] lets the same user and client continue the session with a re-scoped token', async () => {
    const client = await connectClient(server, await mintToken(key, { scope: 'tickets.read' }));
    const session = (client.transport as StreamableHTTPClientTransport).sessionId ?? '';
    const upscoped = await mintToken(key, { scope: 'tickets.read tickets.write' });
    const response = await toolCall(session, upscoped, CREATE);
    expect(response.status).toBe(200);
    const [message] = await jsonRpcMessages(response);
    expect(message).toMatchObject({ id: 7, result: { structuredContent: { ticket: { title: 'New laptop' } } } });
    await client.close();
  });

  it('[MCP-AUTH-403-INSUFFICIENT-SCOPE] names only what is needed when the token has no relevant scope', async () => {
    const client = await connectClient(server, await mintToken(key, { scope: 'profile' }));
    // whoami needs no scope; tools/list is not a tool call.
    expect((await client.callTool({ name: 'whoami', arguments: {} })).isError).toBeUndefined();
    const session = (client.transport as StreamableHTTPClientTransport).sessionId ?? '';
    const response = await toolCall(session, await mintToken(key, { scope: 'profile' }), {
      name: 'list_tickets',
      arguments: {},
    });
    expect(response.status).toBe(403);
    expect(response.headers.get('www-authenticate')).toBe(
      `Bearer error="insufficient_scope", error_description="list_tickets requires the scope tickets.read", resource_metadata="${PRM_URL}", scope="tickets.read"`,
    );
    await client.close();
  });

  it('[MCP-AUDIT-TOOL-CALL] audits the refused call as a denial with the token jti', () => {
    const records = auditRecords(server.dataDir, 'mcp.tool_call').filter((record) => record.jti === 'at-read-only');
    expect(records.map((record) => [record.details?.tool, record.outcome])).toStrictEqual([
      ['list_tickets', 'success'],
      ['create_ticket', 'deny'],
      ['create_ticket', 'deny'],
    ]);
    expect(records[1]).toMatchObject({
      outcome: 'deny',
      reason: 'insufficient_scope',
      subject: 'alice',
      clientId: 'acme-agent-host',
      details: { tool: 'create_ticket', missing_scopes: ['tickets.write'] },
    });
  });
});
