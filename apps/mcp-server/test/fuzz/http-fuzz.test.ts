/**
 * HTTP fuzzing of the MCP server: random methods, paths, parameters, headers, cookies and bodies against every route
 * it registers (its own route tree). The dictionary holds what reaches past its first checks: valid access tokens
 * (one without the step-up), a live session id, JSON-RPC messages for every tool with good and bad arguments, and
 * Security Events signed by the RAS (about Bob only). No answer may be a 5xx, and the server must still serve Alice's
 * tool calls afterwards.
 */
import { fuzzSettings, runHttpFuzz } from '@ema/http-fuzz';
import { mintSecurityEventToken } from '@ema/jwt';
import { APP_STORES } from '@ema/postgres-server/test-database';
import { accountDisabled, type SecurityEvent, sessionRevoked, tokenRevoked, unsignedClaims } from '@ema/shared-signals';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { resolveConfig } from '../../src/config.js';
import { INITIALIZE, mcpHeaders, tempDataDir } from '../support/server.js';
import { createTestKey, mintToken, RAS_ISSUER, RESOURCE, type TestKey } from '../support/tokens.js';

const UNLIMITED = 1_000_000_000;
const HOST = new URL(RESOURCE).host;
const now = () => Math.floor(Date.now() / 1000);

describe.each(APP_STORES)('the MCP server under HTTP fuzzing on $name', (store) => {
  let ras: TestKey;
  let app: FastifyInstance;
  beforeAll(async () => {
    ras = await createTestKey();
    const databaseUrl = await store.databaseUrl('mcp_fuzz');
    const config = resolveConfig({
      dataDir: tempDataDir(),
      ...(databaseUrl === undefined ? {} : { databaseUrl }),
      logLevel: 'silent',
      allowInsecureLoopback: true,
      rateLimitPerAddress: UNLIMITED,
      rateLimitPerSubject: UNLIMITED,
    });
    app = await buildApp(config, { keys: ras.keys });
    // Building the app takes seconds on a loaded machine.
  }, 60_000);
  afterAll(async () => {
    await app.close();
  });

  function rpc(token: string, body: unknown, session?: string) {
    const headers = mcpHeaders({ authorization: `Bearer ${token}`, host: HOST });
    if (session !== undefined) headers['mcp-session-id'] = session;
    return app.inject({ method: 'POST', url: '/mcp', headers, payload: JSON.stringify(body) });
  }

  async function openSession(token: string): Promise<string> {
    const opened = await rpc(token, INITIALIZE);
    const session = opened.headers['mcp-session-id'];
    if (typeof session !== 'string') throw new Error(`no session: ${opened.statusCode} ${opened.body}`);
    await rpc(token, { jsonrpc: '2.0', method: 'notifications/initialized' }, session);
    return session;
  }

  /** JSON-RPC messages: each tool with good, wrong and missing arguments, other methods, a batch, a response. */
  function messages(): string[] {
    const argumentsTried = [
      {},
      { id: 'TCK-1' },
      { id: 'no-such-ticket' },
      { id: 1 },
      { title: 'Printer on fire', description: 'Third floor', priority: 'high' },
      { title: '', description: 'x'.repeat(10_000) },
      { title: 'Printer\u0000', description: 'Third\u0000floor' },
      { id: 1, assignee: 'bob\u0000' },
      { id: 'TCK-1', status: 'closed', assignee: null },
      { id: 'TCK-1', priority: 'urgent' },
      { status: 'open', limit: -1 },
      { __proto__: { admin: true } },
    ];
    const tools = ['list_tickets', 'get_ticket', 'create_ticket', 'update_ticket', 'whoami', 'no_such_tool'];
    const calls = tools.flatMap((name) =>
      argumentsTried.map((args, index) => ({
        jsonrpc: '2.0',
        id: index,
        method: 'tools/call',
        params: { name, arguments: args },
      })),
    );
    const others = [
      INITIALIZE,
      { ...INITIALIZE, params: { ...INITIALIZE.params, protocolVersion: '1999-01-01' } },
      { jsonrpc: '2.0', id: 'a', method: 'tools/list' },
      { jsonrpc: '2.0', id: null, method: 'ping' },
      { jsonrpc: '2.0', method: 'notifications/initialized' },
      { jsonrpc: '2.0', id: 7, method: 'resources/list' },
      { jsonrpc: '2.0', id: 8, method: 'tools/call' },
      { jsonrpc: '2.0', id: 9, result: {} },
      { jsonrpc: '1.0', id: 10, method: 'tools/list' },
      [
        { jsonrpc: '2.0', id: 11, method: 'tools/list' },
        { jsonrpc: '2.0', id: 12, method: 'ping' },
      ],
      [],
    ];
    return [...calls, ...others].map((message) => JSON.stringify(message));
  }

  async function securityEvents(): Promise<string[]> {
    const bob = { iss: RAS_ISSUER, sub: 'bob' };
    const events: SecurityEvent[] = [
      accountDisabled({ user: bob, occurredAt: now() }),
      sessionRevoked({ user: bob, sessionId: 'no-such-session', occurredAt: now(), initiatingEntity: 'admin' }),
      tokenRevoked({ issuer: RAS_ISSUER, jti: 'no-such-jti', expiresAt: now() + 900, occurredAt: now() }),
    ];
    return Promise.all(
      events.map((event, index) => {
        const claims = unsignedClaims(event, {
          issuer: RAS_ISSUER,
          audience: RESOURCE,
          jti: `fuzz-${index}`,
          txn: 't',
        });
        return mintSecurityEventToken({ ...claims, iat: now() }, ras.signer);
      }),
    );
  }

  it('[FUZZ-NO-5XX] [FUZZ-HEALTHY-AFTER] answers every random request to every route below 500, and serves tool calls afterwards', async () => {
    const alice = await mintToken(ras, { sub: 'alice' });
    const bob = await mintToken(ras, { sub: 'bob', email: 'bob@acme.example' });
    const readOnly = await mintToken(ras, { sub: 'carol', scope: 'tickets.read', acr: undefined, amr: ['pwd'] });
    const foreign = await mintToken(await createTestKey(ras.signer.kid), { sub: 'mallory' });
    const sessions = [await openSession(alice), await openSession(bob), await openSession(readOnly)];
    const report = await runHttpFuzz(app, {
      name: 'mcp-server',
      ...fuzzSettings(2500),
      dictionary: {
        origin: new URL(RESOURCE).origin,
        parameterNames: ['resource', 'token', 'session', 'id', 'limit', 'lastEventId'],
        values: ['tickets.read', RESOURCE, ...sessions],
        authorizations: [`Bearer ${alice}`, `Bearer ${bob}`, `Bearer ${readOnly}`, `Bearer ${foreign}`],
        headers: {
          'mcp-session-id': [...sessions, 'no-such-session'],
          'mcp-protocol-version': ['2025-11-25', '2025-06-18', '1999-01-01', ''],
          'last-event-id': ['1', 'x', ''],
          accept: ['application/json, text/event-stream', 'text/event-stream', 'application/json'],
        },
        bodies: [
          ...messages().map((payload) => ({ contentType: 'application/json', payload })),
          ...(await securityEvents()).map((payload) => ({ contentType: 'application/secevent+jwt', payload })),
        ],
        pathValues: ['mcp', 'ssf', 'events'],
      },
    });
    expect(report.numRuns).toBeGreaterThan(0);

    expect((await app.inject({ url: '/healthz', headers: { host: HOST } })).statusCode).toBe(200);
    const session = await openSession(await mintToken(ras, { sub: 'alice' }));
    const listed = await rpc(alice, { jsonrpc: '2.0', id: 1, method: 'tools/list' }, session);
    expect(listed.statusCode).toBe(200);
    expect(listed.body).toContain('list_tickets');
  }, 300_000);
});
