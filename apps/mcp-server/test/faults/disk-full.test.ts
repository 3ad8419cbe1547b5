/**
 * The MCP server on a full disk: `PRAGMA max_page_count` caps its database connection at its current size, so every
 * write that needs one more page fails with SQLITE_FULL exactly as on a full disk. A tool call is answered with its
 * result or, when its change and its audit record cannot be committed, with the JSON-RPC error `-32000 Service
 * Unavailable` (its HTTP 200 was sent already); a request refused before the transport (here a scope challenge,
 * whose denial must be audited) is an HTTP 503 with `Retry-After`. Nothing of a refused call is kept, and the same
 * calls succeed once space is back, without a restart.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Database } from '@ema/storage/sqlite';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { McpError } from '@modelcontextprotocol/sdk/types.js';
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { resolveConfig } from '../../src/config.js';
import { auditRecords, connectClient, mcpHeaders, type RunningServer } from '../support/server.js';
import { createTestKey, mintToken, type TestKey } from '../support/tokens.js';

const NO_LIMIT = 1_073_741_823;
const UNAVAILABLE = { code: -32000, message: 'Service Unavailable: try again later' };

let app: FastifyInstance | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

async function start(key: TestKey): Promise<{ server: RunningServer; db: Database }> {
  let opened: Database | undefined;
  const dataDir = mkdtempSync(join(tmpdir(), 'ema-mcp-full-'));
  const config = resolveConfig({ dataDir, logLevel: 'silent', allowInsecureLoopback: true });
  app = await buildApp(config, { keys: key.keys, onDatabaseOpen: (db) => (opened = db) });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  if (opened === undefined || address === null || typeof address === 'string') throw new Error('not started');
  const origin = `http://127.0.0.1:${address.port}`;
  const server: RunningServer = { app, url: new URL('/mcp', origin), origin, dataDir, close: async () => {} };
  return { server, db: opened };
}

/** The ticket a create_ticket result reports, or the JSON-RPC error the call was refused with. */
async function createTicket(client: Client, title: string): Promise<{ id: number } | McpError> {
  try {
    const result = await client.callTool({ name: 'create_ticket', arguments: { title, description: 'disk full' } });
    expect(result.isError).toBeUndefined();
    const { ticket } = result.structuredContent as { ticket: { id: number; title: string } };
    expect(ticket.title).toBe(title);
    return ticket;
  } catch (error) {
    if (error instanceof McpError) return error;
    throw error;
  }
}

describe('the MCP server on a full disk', () => {
  it('[FAULT-DISK-FULL-503] [FAULT-DISK-FULL-NO-PARTIAL-STATE] [FAULT-DISK-FULL-RECOVERY] a tool call is answered with its result or -32000 Service Unavailable, a refused one kept no ticket and no record, and the calls succeed once space is back', async () => {
    const key = await createTestKey();
    const { server, db } = await start(key);
    const clients = await Promise.all(
      [1, 2, 3, 4].map(async (n) => connectClient(server, await mintToken(key, { sub: `user-${n}`, jti: `at-${n}` }))),
    );
    const titleOf = (round: number, n: number) => `Ticket ${round}-${n} ${'x'.repeat(120)}`;
    db.pragma('max_page_count = 1');
    const created = new Map<string, number>();
    const refused: string[] = [];
    for (let round = 0; round < 100 && (refused.length === 0 || round < 4); round += 1) {
      const outcomes = await Promise.all(clients.map((client, n) => createTicket(client, titleOf(round, n))));
      outcomes.forEach((outcome, n) => {
        const title = titleOf(round, n);
        if (outcome instanceof McpError) {
          expect({ code: outcome.code, message: outcome.message }).toEqual({
            code: UNAVAILABLE.code,
            message: `MCP error ${UNAVAILABLE.code}: ${UNAVAILABLE.message}`,
          });
          refused.push(title);
        } else created.set(title, outcome.id);
      });
    }
    expect(refused.length).toBeGreaterThan(0);

    // A denial that must be audited before it is answered: an HTTP 503 while the record cannot be written.
    const readOnly = await mintToken(key, { scope: 'tickets.read', jti: 'at-read-only' });
    const [first] = clients;
    if (first === undefined) throw new Error('no client');
    const session = (first.transport as StreamableHTTPClientTransport).sessionId ?? '';
    const challenge = () =>
      fetch(server.url, {
        method: 'POST',
        headers: mcpHeaders({ authorization: `Bearer ${readOnly}`, 'mcp-session-id': session }),
        body: JSON.stringify({
          jsonrpc: '2.0',
          id: 9,
          method: 'tools/call',
          params: { name: 'create_ticket', arguments: { title: 't', description: 'd' } },
        }),
      });
    // Each denial audited adds a record: the disk runs out after a few.
    let denied = await challenge();
    for (let attempt = 0; attempt < 200 && denied.status === 403; attempt += 1) denied = await challenge();
    expect(denied.status).toBe(503);
    expect(denied.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(await denied.json()).toEqual({ jsonrpc: '2.0', error: UNAVAILABLE, id: null });

    const titles = new Set(
      db
        .prepare<[], { title: string }>('SELECT title FROM tickets')
        .all()
        .map((row) => row.title),
    );
    const recorded = new Set(
      auditRecords(server.dataDir, 'mcp.tool_call').map((record) => record.details?.ticket_id as number | undefined),
    );
    for (const [title, id] of created) {
      expect(titles.has(title)).toBe(true);
      expect(recorded.has(id)).toBe(true);
    }
    for (const title of refused) expect(titles.has(title)).toBe(false);

    db.pragma(`max_page_count = ${NO_LIMIT}`);
    for (const title of refused.slice(0, 4)) expect(await createTicket(first, title)).not.toBeInstanceOf(McpError);
    expect((await challenge()).status).toBe(403);
    await Promise.all(clients.map((each) => each.close()));
  }, 60_000);
});
