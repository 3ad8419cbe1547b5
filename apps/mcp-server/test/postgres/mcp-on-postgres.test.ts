/**
 * The MCP server built with `databaseUrl` on a fresh PostgreSQL database, twice: two instances sharing one database,
 * as the scaled stack runs them behind its balancer. Driven through `app.inject` with real signed access tokens.
 */
import { mintSecurityEventToken } from '@ema/jwt';
import { createTestDatabase } from '@ema/postgres-server/test-database';
import { accountDisabled, unsignedClaims } from '@ema/shared-signals';
import { createPostgresAuditLog, openPostgresDatabase, type PostgresDatabase } from '@ema/storage/postgres';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { resolveConfig } from '../../src/config.js';
import { POSTGRES_SCHEMA } from '../../src/storage/mcp-database.js';
import { INITIALIZE, mcpHeaders, tempDataDir } from '../support/server.js';
import { createTestKey, mintToken, RAS_ISSUER, RESOURCE, type TestKey } from '../support/tokens.js';

const HOST = 'localhost:3300';
const SESSION_NOT_FOUND = { jsonrpc: '2.0', error: { code: -32001, message: 'Session not found' }, id: null };
const now = () => Math.floor(Date.now() / 1000);

let url: string;
let ras: TestKey;
let one: FastifyInstance;
let other: FastifyInstance;

beforeAll(async () => {
  url = await createTestDatabase('mcp_app');
  ras = await createTestKey();
  const instance = () =>
    buildApp(
      resolveConfig({ dataDir: tempDataDir(), databaseUrl: url, logLevel: 'silent', allowInsecureLoopback: true }),
      { keys: ras.keys },
    );
  // Booting together: the migrations run once, under the advisory lock.
  [one, other] = await Promise.all([instance(), instance()]);
});
afterAll(async () => {
  await Promise.all([one?.close(), other?.close()]);
});

function post(app: FastifyInstance, token: string, body: unknown, session?: string) {
  return app.inject({
    method: 'POST',
    url: '/mcp',
    headers: mcpHeaders({
      host: HOST,
      authorization: `Bearer ${token}`,
      ...(session === undefined ? {} : { 'mcp-session-id': session, 'mcp-protocol-version': '2025-11-25' }),
    }),
    payload: JSON.stringify(body),
  });
}

async function initialize(app: FastifyInstance, token: string): Promise<string> {
  const response = await post(app, token, INITIALIZE);
  expect(response.statusCode).toBe(200);
  const session = String(response.headers['mcp-session-id']);
  const initialized = await post(app, token, { jsonrpc: '2.0', method: 'notifications/initialized' }, session);
  expect(initialized.statusCode).toBe(202);
  return session;
}

/** The JSON-RPC result of a response (SSE or JSON). */
function result(response: LightMyRequestResponse): unknown {
  const body = String(response.headers['content-type']).startsWith('application/json')
    ? response.body
    : (response.body
        .split('\n')
        .find((line) => line.startsWith('data: '))
        ?.slice('data: '.length) ?? '');
  return (JSON.parse(body) as { result: unknown }).result;
}

/** Reads as an operator would, through another connection to the same schema. */
function asOperator<T>(read: (db: PostgresDatabase) => T): T {
  const db = openPostgresDatabase({ url, schema: POSTGRES_SCHEMA, migrations: [] });
  try {
    return read(db);
  } finally {
    db.close();
  }
}

/** The audit record of the tool call made with the access token `jti`. */
const toolCallRecord = (jti: string) => (db: PostgresDatabase) =>
  createPostgresAuditLog(db)
    .query({ type: 'mcp.tool_call' })
    .find((record) => record.jti === jti);

const toolCall = (id: number, name: string, args: Record<string, unknown>) => ({
  jsonrpc: '2.0',
  id,
  method: 'tools/call',
  params: { name, arguments: args },
});

/** Calls tool `name` in `session` on `app`; the HTTP exchange succeeds (a tool error is a result too). */
async function callTool(
  app: FastifyInstance,
  token: string,
  session: string,
  name: string,
  args: Record<string, unknown>,
): Promise<unknown> {
  const response = await post(app, token, toolCall(2, name, args), session);
  expect(response.statusCode).toBe(200);
  return result(response);
}

describe('the MCP server on PostgreSQL, two instances', () => {
  it('[MCP-PG-APP] a tool call through one instance commits its ticket and its audit record in PostgreSQL; the other instance reads the ticket', async () => {
    const token = await mintToken(ras, { jti: 'at-pg-1' });
    const session = await initialize(one, token);
    const created = await callTool(one, token, session, 'create_ticket', { title: 'On PG', description: 'shared' });
    const { ticket } = (created as { structuredContent: { ticket: { id: number } } }).structuredContent;
    expect(ticket).toMatchObject({ title: 'On PG', status: 'open' });

    expect(asOperator(toolCallRecord('at-pg-1'))).toMatchObject({
      outcome: 'success',
      subject: 'alice',
      resource: RESOURCE,
      details: { tool: 'create_ticket', ticket_id: ticket.id, session_id: session },
    });

    const otherSession = await initialize(other, token);
    const read = await callTool(other, token, otherSession, 'get_ticket', { id: ticket.id });
    expect(read).toMatchObject({ structuredContent: { ticket: { id: ticket.id, title: 'On PG' } } });
  });

  it("[STORAGE-UNSTORABLE-TEXT-400] text holding U+0000 is a tool error, never a failure: refused by the schema, or, from a token's claim, by the database, and audited as a refusal", async () => {
    const token = await mintToken(ras, { jti: 'at-pg-nul-1' });
    const session = await initialize(one, token);
    const argument = await callTool(one, token, session, 'create_ticket', { title: 'A\u0000', description: 'x' });
    expect(argument).toMatchObject({ isError: true });
    expect(JSON.stringify(argument)).toContain('must not contain U+0000');

    // The reporter is the caller's email: a claim no schema of the tool sees.
    const claimed = await mintToken(ras, { jti: 'at-pg-nul-2', email: 'mallory\u0000@acme.example' });
    const claimedSession = await initialize(one, claimed);
    const refused = await callTool(one, claimed, claimedSession, 'create_ticket', { title: 'B', description: 'y' });
    expect(refused).toEqual({
      content: [{ type: 'text', text: 'create_ticket was refused: its text holds U+0000, which cannot be stored' }],
      isError: true,
    });

    expect(asOperator(toolCallRecord('at-pg-nul-2'))).toMatchObject({ outcome: 'deny', reason: 'invalid_request' });
    expect(asOperator((db) => db.prepare("SELECT count(*)::int AS n FROM tickets WHERE title = 'B'").get())).toEqual({
      n: 0,
    });
  });

  it('[MCP-PG-SESSION-STICKY] a session is known to the instance that created it only: elsewhere 404 (the client re-initializes), without one 400', async () => {
    const token = await mintToken(ras);
    const session = await initialize(one, token);
    const elsewhere = await post(other, token, toolCall(2, 'whoami', {}), session);
    expect(elsewhere.statusCode).toBe(404);
    expect(elsewhere.json()).toStrictEqual(SESSION_NOT_FOUND);
    const none = await post(other, token, toolCall(2, 'whoami', {}));
    expect(none.statusCode).toBe(400);
    // The session goes on where it lives.
    expect((await post(one, token, toolCall(3, 'whoami', {}), session)).statusCode).toBe(200);
  });

  it('[MCP-PG-REVOCATION-SHARED] a cut-off pushed to one instance is enforced by the other within a second, and closes its sessions there', async () => {
    const token = await mintToken(ras, { sub: 'dave', iat: now() - 5 });
    const session = await initialize(other, token);
    const claims = unsignedClaims(accountDisabled({ user: { iss: RAS_ISSUER, sub: 'dave' }, occurredAt: now() }), {
      issuer: RAS_ISSUER,
      audience: RESOURCE,
      jti: 'set-pg-1',
      txn: 'set-pg-1',
    });
    const pushed = await one.inject({
      method: 'POST',
      url: '/ssf/events',
      headers: { host: HOST, 'content-type': 'application/secevent+jwt' },
      payload: await mintSecurityEventToken({ ...claims, iat: now() }, ras.signer),
    });
    expect(pushed.statusCode).toBe(202);

    const deadline = Date.now() + 1000;
    let refused = await post(other, token, INITIALIZE);
    while (refused.statusCode !== 401 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      refused = await post(other, token, INITIALIZE);
    }
    expect(refused.statusCode).toBe(401);
    expect(refused.headers['www-authenticate']).toContain('The access token was revoked');
    // Dave's session on the other instance is gone: a token issued after the cut-off finds it unknown.
    const fresh = await mintToken(ras, { sub: 'dave', iat: now() + 2 });
    expect((await post(other, fresh, toolCall(2, 'whoami', {}), session)).statusCode).toBe(404);
  });
});
