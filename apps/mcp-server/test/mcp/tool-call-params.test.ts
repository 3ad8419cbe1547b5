import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ErrorCode } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditRecords, connectClient, mcpHeaders, type RunningServer, startServer } from '../support/server.js';
import { jsonRpcMessages } from '../support/sse.js';
import { createTestKey, mintToken, type TestKey } from '../support/tokens.js';

describe('tools/call params', () => {
  let key: TestKey;
  let server: RunningServer;
  let token: string;
  let session: string;
  let client: Client;

  beforeAll(async () => {
    key = await createTestKey();
    server = await startServer(key.keys);
    token = await mintToken(key, { jti: 'at-params-1' });
    client = await connectClient(server, token);
    session = (client.transport as StreamableHTTPClientTransport).sessionId ?? '';
  });
  afterAll(async () => {
    await client.close();
    await server.close();
  });

  async function post(body: unknown): Promise<unknown[]> {
    const response = await fetch(server.url, {
      method: 'POST',
      headers: mcpHeaders({
        authorization: `Bearer ${token}`,
        'mcp-session-id': session,
        'mcp-protocol-version': '2025-11-25',
      }),
      body: JSON.stringify(body),
    });
    expect(response.status).toBe(200);
    return jsonRpcMessages(response);
  }

  const call = (id: number, params: Record<string, unknown>) => ({ jsonrpc: '2.0', id, method: 'tools/call', params });

  it('[MCP-JSONRPC-5.1-INVALID-PARAMS] answers arguments that are not an object with -32602 Invalid params', async () => {
    for (const args of [null, 'id=1', [1], 1, true]) {
      expect(await post(call(3, { name: 'get_ticket', arguments: args })), JSON.stringify(args)).toStrictEqual([
        {
          jsonrpc: '2.0',
          id: 3,
          error: { code: ErrorCode.InvalidParams, message: 'Invalid params: arguments must be an object' },
        },
      ]);
    }
    expect(await post(call(4, { arguments: {} }))).toStrictEqual([
      {
        jsonrpc: '2.0',
        id: 4,
        error: { code: ErrorCode.InvalidParams, message: 'Invalid params: name must be a string' },
      },
    ]);
  });

  it('[MCP-JSONRPC-5.1-INVALID-PARAMS] refuses only the bad call of a batch', async () => {
    const messages = await post([call(5, { name: 'whoami', arguments: null }), call(6, { name: 'whoami' })]);
    expect(messages).toHaveLength(2);
    expect(messages).toContainEqual({
      jsonrpc: '2.0',
      id: 5,
      error: { code: ErrorCode.InvalidParams, message: 'Invalid params: arguments must be an object' },
    });
    expect(messages).toContainEqual(expect.objectContaining({ id: 6, result: expect.objectContaining({}) }));
  });

  it('[MCP-TOOLS-INPUT-VALIDATION] reports arguments failing the tool schema as a tool error naming the field', async () => {
    const [answer] = await post(call(7, { name: 'get_ticket', arguments: { id: 'one' } }));
    expect(answer).toMatchObject({ id: 7, result: { isError: true, content: [{ type: 'text' }] } });
    expect(JSON.stringify(answer)).toMatch(/Invalid arguments for tool get_ticket: .* at id"/);
  });

  it('[MCP-AUDIT-TOOL-CALL] audits a refused call as a protocol error with its code', () => {
    const refused = auditRecords(server.dataDir, 'mcp.tool_call').filter(
      (record) => record.jti === 'at-params-1' && record.reason === 'protocol_error',
    );
    expect(refused).toHaveLength(7);
    for (const record of refused) {
      expect(record).toMatchObject({ outcome: 'failure', details: { code: ErrorCode.InvalidParams } });
    }
    expect(refused.map((record) => record.details?.tool)).toContain('(missing)');
  });
});
