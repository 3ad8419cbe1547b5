import { afterAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { resolveConfig } from '../../src/config.js';
import { INITIALIZE, mcpHeaders, tempDataDir } from '../support/server.js';
import { createTestKey, mintToken, mintWithTyp } from '../support/tokens.js';

describe('logs', () => {
  const lines: string[] = [];
  let close: () => Promise<void> = async () => {};
  afterAll(async () => close());

  it('[MCP-LOGS-NO-SECRETS] never write an access token, at any level, over a full flow', async () => {
    const key = await createTestKey();
    const config = resolveConfig({ dataDir: tempDataDir(), logLevel: 'trace', allowInsecureLoopback: true });
    const app = await buildApp(config, { keys: key.keys, logStream: { write: (line) => lines.push(line) } });
    close = () => app.close();
    const host = 'localhost:3300';
    const token = await mintToken(key);
    const readOnly = await mintToken(key, { scope: 'tickets.read' });
    const intruder = await mintToken(key, { sub: 'mallory' });
    const expired = await mintToken(key, { exp: Math.floor(Date.now() / 1000) - 3600 });
    const wrongTyp = await mintWithTyp(key, 'JWT');
    const post = (bearer: string, body: unknown, session?: string) =>
      app.inject({
        method: 'POST',
        url: '/mcp',
        headers: mcpHeaders({
          host,
          authorization: `Bearer ${bearer}`,
          ...(session === undefined ? {} : { 'mcp-session-id': session, 'mcp-protocol-version': '2025-11-25' }),
        }),
        payload: JSON.stringify(body),
      });
    const init = await post(token, INITIALIZE);
    expect(init.statusCode).toBe(200);
    const session = String(init.headers['mcp-session-id']);
    const call = (name: string, args: unknown, id: number, bearer = token) =>
      post(bearer, { jsonrpc: '2.0', id, method: 'tools/call', params: { name, arguments: args } }, session);
    expect((await call('whoami', {}, 2)).statusCode).toBe(200);
    expect((await call('create_ticket', { title: 't', description: 'd' }, 3)).statusCode).toBe(200);
    expect((await call('get_ticket', { id: 'x' }, 4)).statusCode).toBe(200);
    expect((await call('create_ticket', { title: 't', description: 'd' }, 5, readOnly)).statusCode).toBe(403);
    expect((await call('whoami', {}, 6, intruder)).statusCode).toBe(404);
    expect((await call('whoami', {}, 7, expired)).statusCode).toBe(401);
    expect((await call('whoami', {}, 8, wrongTyp)).statusCode).toBe(401);
    // A token in the query string is refused, and the query string never reaches the log.
    await app.inject({
      method: 'POST',
      url: `/mcp?access_token=${token}`,
      headers: mcpHeaders({ host }),
      payload: '{}',
    });

    const output = lines.join('');
    expect(lines.length).toBeGreaterThan(10);
    for (const secret of [token, readOnly, intruder, expired, wrongTyp]) {
      expect(output).not.toContain(secret);
      expect(output).not.toContain(secret.slice(-24));
    }
  });
});
