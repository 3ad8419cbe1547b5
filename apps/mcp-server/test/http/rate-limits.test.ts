import { afterEach, describe, expect, it } from 'vitest';
import { INITIALIZE, mcpHeaders, type RunningServer, startServer } from '../support/server.js';
import { createTestKey, mintToken, type TestKey } from '../support/tokens.js';

let server: RunningServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function initialize(current: RunningServer, token: string, remoteAddress = '203.0.113.7') {
  return current.app.inject({
    method: 'POST',
    url: '/mcp',
    remoteAddress,
    headers: mcpHeaders({ authorization: `Bearer ${token}`, host: 'localhost:3300' }),
    payload: JSON.stringify(INITIALIZE),
  });
}

function expectRateLimited(response: Awaited<ReturnType<typeof initialize>>): void {
  expect(response.statusCode).toBe(429);
  expect(Number(response.headers['retry-after'])).toBeGreaterThan(0);
  expect(response.json()).toStrictEqual({
    jsonrpc: '2.0',
    error: { code: -32000, message: 'Too Many Requests: rate limit exceeded' },
    id: null,
  });
}

describe('rate limits of the MCP endpoint', () => {
  let key: TestKey;

  it('[KIT-RATE-LIMIT] limits requests per access-token subject, whatever address they come from', async () => {
    key = await createTestKey();
    server = await startServer(key.keys, { config: { rateLimitPerSubject: 2 } });
    const alice = await mintToken(key, { sub: 'alice' });
    expect((await initialize(server, alice, '198.51.100.1')).statusCode).toBe(200);
    expect((await initialize(server, alice, '198.51.100.2')).statusCode).toBe(200);
    expectRateLimited(await initialize(server, alice, '198.51.100.3'));
    expect((await initialize(server, await mintToken(key, { sub: 'bob' }))).statusCode).toBe(200);
  });

  it('[KIT-RATE-LIMIT] limits requests per address before any token is verified', async () => {
    key = await createTestKey();
    server = await startServer(key.keys, { config: { rateLimitPerAddress: 2 } });
    expect((await initialize(server, 'not-a-token')).statusCode).toBe(401);
    expect((await initialize(server, await mintToken(key, { sub: 'alice' }))).statusCode).toBe(200);
    const limited = await initialize(server, await mintToken(key, { sub: 'bob' }));
    expectRateLimited(limited);
    expect(limited.headers['www-authenticate']).toBeUndefined();
    expect((await initialize(server, await mintToken(key, { sub: 'bob' }), '192.0.2.1')).statusCode).toBe(200);
  });
});
