import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StreamableHttpTransport } from '../../src/mcp/streamable-http-transport.js';

// The transport on its own, behind a bare node:http server that parses JSON as the endpoint does.
let transport: StreamableHttpTransport;
let server: Server;
let url: string;
// `slow` waits for this to be called: a tool call still in flight when the session closes.
let releaseSlow: () => void = () => undefined;

beforeAll(async () => {
  transport = new StreamableHttpTransport({ sessionIdGenerator: () => 'session-1', keepAliveMs: 60_000 });
  const mcp = new McpServer({ name: 'transport-test', version: '0.0.0' });
  mcp.registerTool('echo', { description: 'echo' }, async () => ({ content: [{ type: 'text', text: 'hi' }] }));
  mcp.registerTool('slow', { description: 'waits' }, async () => {
    await new Promise<void>((resolve) => {
      releaseSlow = resolve;
    });
    return { content: [{ type: 'text', text: 'late' }] };
  });
  await mcp.connect(transport);
  server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString();
    await transport.handleRequest(req, res, text.length === 0 ? undefined : JSON.parse(text));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/mcp`;
});

afterAll(async () => {
  server.closeAllConnections();
  server.close();
});

const ACCEPT = 'application/json, text/event-stream';
const post = (body: unknown, headers: Record<string, string> = {}) =>
  fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: ACCEPT, ...headers },
    body: JSON.stringify(body),
  });
const inSession = { 'mcp-session-id': 'session-1', 'mcp-protocol-version': '2025-06-18' };
const initialize = {
  jsonrpc: '2.0',
  id: 0,
  method: 'initialize',
  params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 't', version: '0' } },
};

describe('StreamableHttpTransport', () => {
  it('refuses a client that does not accept both JSON and SSE (406), and a request before initialize (400)', async () => {
    expect((await post(initialize, { accept: 'application/json' })).status).toBe(406);
    const early = await post({ jsonrpc: '2.0', id: 1, method: 'tools/list' }, inSession);
    expect(early.status).toBe(400);
    expect(await early.json()).toMatchObject({ error: { message: 'Bad Request: Server not initialized' } });
  });

  it('[MCP-SESSION-SECURE-ID] initializes once, names the session in Mcp-Session-Id, answers JSON', async () => {
    const response = await post(initialize);
    expect(response.status).toBe(200);
    expect(response.headers.get('mcp-session-id')).toBe('session-1');
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(await response.json()).toMatchObject({ id: 0, result: { serverInfo: { name: 'transport-test' } } });
    expect((await post(initialize, inSession)).status).toBe(400);
    const initialized = await post({ jsonrpc: '2.0', method: 'notifications/initialized' }, inSession);
    expect(initialized.status).toBe(202);
  });

  it('answers a batch with one array once every request has its response, and keeps nothing afterwards', async () => {
    const response = await post(
      [
        { jsonrpc: '2.0', id: 'a', method: 'tools/call', params: { name: 'echo', arguments: {} } },
        { jsonrpc: '2.0', id: 'b', method: 'tools/list' },
      ],
      inSession,
    );
    const answers = (await response.json()) as { id: string }[];
    expect(answers.map((answer) => answer.id).sort()).toEqual(['a', 'b']);
    expect(transport.pendingRequests).toBe(0);
  });

  it('refuses another session id (404), an unsupported protocol version (400) and what is not JSON-RPC (400)', async () => {
    const call = { jsonrpc: '2.0', id: 2, method: 'tools/list' };
    expect((await post(call, { ...inSession, 'mcp-session-id': 'other' })).status).toBe(404);
    const version = await post(call, { ...inSession, 'mcp-protocol-version': '1999-01-01' });
    expect(version.status).toBe(400);
    expect(await version.json()).toMatchObject({ error: { code: -32000 } });
    const invalid = await post({ not: 'json-rpc' }, inSession);
    expect(invalid.status).toBe(400);
    expect(await invalid.json()).toMatchObject({ error: { code: -32700 } });
  });

  it('opens one GET stream per session (a second is 409), then ends the session on DELETE', async () => {
    // A call in flight when the session ends gets the answer of an ended session (404), not a hanging connection.
    const inFlight = post({ jsonrpc: '2.0', id: 'slow', method: 'tools/call', params: { name: 'slow' } }, inSession);
    const controller = new AbortController();
    const stream = await fetch(url, {
      headers: { accept: 'text/event-stream', ...inSession },
      signal: controller.signal,
    });
    expect(stream.status).toBe(200);
    expect(stream.headers.get('content-type')).toBe('text/event-stream');
    const second = await fetch(url, { headers: { accept: 'text/event-stream', ...inSession } });
    expect(second.status).toBe(409);
    controller.abort();
    await new Promise((resolve) => setTimeout(resolve, 50));
    const deleted = await fetch(url, { method: 'DELETE', headers: inSession });
    expect(deleted.status).toBe(200);
    expect((await inFlight).status).toBe(404);
    releaseSlow();
    expect(transport.pendingRequests).toBe(0);
    expect((await post({ jsonrpc: '2.0', id: 3, method: 'tools/list' }, inSession)).status).toBe(404);
  });
});
