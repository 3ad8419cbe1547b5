import { ACR_MULTI_FACTOR, ACR_PASSWORD } from '@ema/protocol';
import type { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditRecords, connectClient, mcpHeaders, type RunningServer, startServer } from '../support/server.js';
import { jsonRpcMessages } from '../support/sse.js';
import { createTestKey, mintToken, PRM_URL, type TestKey } from '../support/tokens.js';

const CREATE = { name: 'create_ticket', arguments: { title: 'New laptop', description: 'Mine is broken' } };

describe('step-up per tool at the HTTP layer (RFC 9470)', () => {
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

  it('[MCP-RFC9470-TOOL-STEP-UP] answers create_ticket with a password sign-in behind the token with 401 insufficient_user_authentication and acr_values, audited; reading still works', async () => {
    const password = await mintToken(key, { acr: ACR_PASSWORD, amr: ['pwd'], jti: 'at-password' });
    const client = await connectClient(server, password);
    const session = (client.transport as StreamableHTTPClientTransport).sessionId ?? '';
    const response = await toolCall(session, password, CREATE);
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe(
      `Bearer error="insufficient_user_authentication", error_description="create_ticket requires a stronger sign-in", resource_metadata="${PRM_URL}", scope="tickets.read tickets.write", acr_values="${ACR_MULTI_FACTOR}"`,
    );
    expect(await response.json()).toStrictEqual({
      error: 'insufficient_user_authentication',
      error_description: 'create_ticket requires a stronger sign-in',
      acr_values: ACR_MULTI_FACTOR,
    });
    expect(auditRecords(server.dataDir, 'mcp.tool_call')[0]).toMatchObject({
      outcome: 'deny',
      reason: 'insufficient_user_authentication',
      jti: 'at-password',
      details: { tool: 'create_ticket', acr: ACR_PASSWORD, acr_values: [ACR_MULTI_FACTOR] },
    });
    expect((await client.callTool({ name: 'list_tickets', arguments: {} })).isError).toBeUndefined();

    // After the step-up, a token with acr mfa continues the same session.
    const stepped = await mintToken(key, { acr: ACR_MULTI_FACTOR });
    const created = await toolCall(session, stepped, CREATE);
    expect(created.status).toBe(200);
    const [message] = await jsonRpcMessages(created);
    expect(message).toMatchObject({ result: { structuredContent: { ticket: { title: 'New laptop' } } } });
    await client.close();
  });

  it('[MCP-RFC9470-TOOL-STEP-UP] asks for the scope first: a read-only password token gets 403 insufficient_scope, not 401', async () => {
    const readOnly = await mintToken(key, { scope: 'tickets.read', acr: ACR_PASSWORD });
    const client = await connectClient(server, readOnly);
    const session = (client.transport as StreamableHTTPClientTransport).sessionId ?? '';
    expect((await toolCall(session, readOnly, CREATE)).status).toBe(403);
    await client.close();
  });

  it('[MCP-RFC9470-TOOL-STEP-UP] requires nothing more when configured so', async () => {
    const open = await startServer(key.keys, { config: { toolAuthentication: {} } });
    try {
      const password = await mintToken(key, { acr: ACR_PASSWORD });
      const client = await connectClient(open, password);
      expect((await client.callTool(CREATE)).isError).toBeUndefined();
      await client.close();
    } finally {
      await open.close();
    }
  });
});
