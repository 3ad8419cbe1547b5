import type { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  auditRecords,
  connectClient,
  INITIALIZE,
  mcpHeaders,
  type RunningServer,
  startServer,
} from '../support/server.js';
import { createTestKey, mintToken, type TestKey } from '../support/tokens.js';

const SESSION_NOT_FOUND = { jsonrpc: '2.0', error: { code: -32001, message: 'Session not found' }, id: null };
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('MCP sessions', () => {
  let key: TestKey;
  let server: RunningServer;

  beforeAll(async () => {
    key = await createTestKey();
    server = await startServer(key.keys);
  });
  afterAll(() => server.close());

  function onSession(method: 'POST' | 'GET' | 'DELETE', session: string, token: string): Promise<Response> {
    return fetch(server.url, {
      method,
      headers: mcpHeaders({
        authorization: `Bearer ${token}`,
        'mcp-session-id': session,
        'mcp-protocol-version': '2025-11-25',
        ...(method === 'GET' ? { accept: 'text/event-stream' } : {}),
      }),
      ...(method === 'POST' ? { body: JSON.stringify({ jsonrpc: '2.0', id: 9, method: 'tools/list' }) } : {}),
    });
  }

  async function openSession(sub: string, clientId = 'acme-agent-host'): Promise<string> {
    const response = await fetch(server.url, {
      method: 'POST',
      headers: mcpHeaders({ authorization: `Bearer ${await mintToken(key, { sub, client_id: clientId })}` }),
      body: JSON.stringify(INITIALIZE),
    });
    expect(response.status).toBe(200);
    await response.body?.cancel();
    return response.headers.get('mcp-session-id') ?? '';
  }

  it('[MCP-SESSION-SECURE-ID] gives every session its own random UUID', async () => {
    const first = await openSession('alice');
    const second = await openSession('alice');
    expect(first).toMatch(UUID_V4);
    expect(second).toMatch(UUID_V4);
    expect(first).not.toBe(second);
  });

  it("[MCP-SESSION-BINDING] refuses a request on alice's session carrying bob's token, exactly like an unknown session", async () => {
    const alice = await connectClient(server, await mintToken(key, { sub: 'alice' }));
    const session = (alice.transport as StreamableHTTPClientTransport).sessionId ?? '';
    const bobToken = await mintToken(key, { sub: 'bob', email: 'bob@acme.example', jti: 'at-bob-hijack' });
    for (const method of ['POST', 'GET', 'DELETE'] as const) {
      const response = await onSession(method, session, bobToken);
      expect(response.status, method).toBe(404);
      expect(await response.json()).toStrictEqual(SESSION_NOT_FOUND);
    }
    const unknown = await onSession('POST', '00000000-0000-4000-8000-000000000000', bobToken);
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toStrictEqual(SESSION_NOT_FOUND);
    // alice's session is untouched.
    expect((await alice.listTools()).tools).toHaveLength(5);
    const refused = auditRecords(server.dataDir, 'mcp.session_refused').filter((r) => r.jti === 'at-bob-hijack');
    expect(refused).toHaveLength(3);
    expect(refused[0]).toMatchObject({ outcome: 'deny', reason: 'session_owner_mismatch', subject: 'bob' });
    await alice.close();
  });

  it('[MCP-SESSION-BINDING] refuses the same user through another client', async () => {
    const session = await openSession('carol', 'acme-agent-host');
    const response = await onSession(
      'POST',
      session,
      await mintToken(key, { sub: 'carol', client_id: 'other-client' }),
    );
    expect(response.status).toBe(404);
  });

  it('[MCP-SESSION-DELETE] ends a session on DELETE; the session id is then unknown', async () => {
    const token = await mintToken(key, { sub: 'dave' });
    const session = await openSession('dave');
    expect((await onSession('POST', session, token)).status).toBe(200);
    const deleted = await onSession('DELETE', session, token);
    expect(deleted.status).toBe(200);
    const after = await onSession('POST', session, token);
    expect(after.status).toBe(404);
    expect(await after.json()).toStrictEqual(SESSION_NOT_FOUND);
  });

  it('ends the session when the SDK client terminates it', async () => {
    const token = await mintToken(key, { sub: 'erin' });
    const client = await connectClient(server, token);
    const transport = client.transport as StreamableHTTPClientTransport;
    const session = transport.sessionId ?? '';
    await transport.terminateSession();
    expect((await onSession('POST', session, token)).status).toBe(404);
    await client.close();
  });

  it('asks for a session id on anything but initialize, and refuses an empty one', async () => {
    const token = await mintToken(key);
    const response = await fetch(server.url, {
      method: 'POST',
      headers: mcpHeaders({ authorization: `Bearer ${token}` }),
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toStrictEqual({
      jsonrpc: '2.0',
      error: { code: -32000, message: 'Bad Request: Mcp-Session-Id header is required' },
      id: null,
    });
    for (const method of ['GET', 'DELETE'] as const) {
      const noSession = await fetch(server.url, { method, headers: { authorization: `Bearer ${token}` } });
      expect(noSession.status).toBe(400);
    }
    expect((await onSession('POST', '', token)).status).toBe(400);
  });

  it('answers malformed bodies with JSON-RPC errors', async () => {
    const authorization = `Bearer ${await mintToken(key)}`;
    const cases: [string, string, number, number][] = [
      ['application/json', '{not json', 400, -32700],
      ['application/json', '42', 400, -32600],
      ['application/json', '[]', 400, -32600],
      ['application/xml', '<a/>', 415, -32000],
      // Fastify's built-in text/plain parser must not hand a string to the transport.
      ['text/plain', '{"jsonrpc":"2.0","id":1,"method":"ping"}', 415, -32000],
    ];
    for (const [contentType, body, status, code] of cases) {
      const response = await fetch(server.url, {
        method: 'POST',
        headers: mcpHeaders({ authorization, 'content-type': contentType }),
        body,
      });
      expect(response.status, body).toBe(status);
      expect(((await response.json()) as { error: { code: number } }).error.code, body).toBe(code);
    }
  });

  it('does not keep a session whose initialize the transport refused', async () => {
    const response = await fetch(server.url, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${await mintToken(key)}`,
        'content-type': 'application/json',
        accept: 'text/html',
      },
      body: JSON.stringify(INITIALIZE),
    });
    expect(response.status).toBe(406);
    expect(response.headers.get('mcp-session-id')).toBeNull();
  });
});

describe('the MCP endpoint body parser', () => {
  it('refuses prototype-poisoning JSON like Fastify does', async () => {
    const key = await createTestKey();
    const server = await startServer(key.keys);
    try {
      const response = await fetch(server.url, {
        method: 'POST',
        headers: mcpHeaders({ authorization: `Bearer ${await mintToken(key)}` }),
        body: '{"jsonrpc":"2.0","id":1,"method":"initialize","__proto__":{"polluted":true}}',
      });
      expect(response.status).toBe(400);
      expect(((await response.json()) as { error: { code: number } }).error.code).toBe(-32700);
    } finally {
      await server.close();
    }
  });
});
