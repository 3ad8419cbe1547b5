import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INITIALIZE, mcpHeaders, type RunningServer, startServer } from '../support/server.js';
import { createTestKey, mintToken, type TestKey } from '../support/tokens.js';

describe('DNS-rebinding protection of the MCP endpoint', () => {
  let key: TestKey;
  let server: RunningServer;

  beforeAll(async () => {
    key = await createTestKey();
    server = await startServer(key.keys);
  });
  afterAll(() => server.close());

  async function inject(headers: Record<string, string>) {
    return server.app.inject({
      method: 'POST',
      url: '/mcp',
      headers: mcpHeaders({ authorization: `Bearer ${await mintToken(key)}`, ...headers }),
      payload: JSON.stringify(INITIALIZE),
    });
  }

  it('[MCP-DNS-REBINDING-HOST] [KIT-HOST-ORIGIN-CHECK] refuses a Host that is not this server with 421, before looking at the token', async () => {
    const response = await inject({ host: 'attacker.example:3300' });
    expect(response.statusCode).toBe(421);
    expect(response.json()).toStrictEqual({
      jsonrpc: '2.0',
      error: { code: -32000, message: 'Misdirected Request: Host header not allowed' },
      id: null,
    });
    const noToken = await server.app.inject({ method: 'POST', url: '/mcp', headers: { host: 'attacker.example' } });
    expect(noToken.statusCode).toBe(421);
    expect(noToken.headers['www-authenticate']).toBeUndefined();
    // Every route, the protected resource metadata included.
    const metadata = await server.app.inject({
      url: '/.well-known/oauth-protected-resource/mcp',
      headers: { host: 'attacker.example' },
    });
    expect(metadata.statusCode).toBe(421);
  });

  it('[MCP-DNS-REBINDING-ORIGIN] refuses a request from a foreign Origin with 403', async () => {
    const port = new URL(server.origin).port;
    const response = await inject({ host: `127.0.0.1:${port}`, origin: 'http://attacker.example' });
    expect(response.statusCode).toBe(403);
    expect(response.json()).toStrictEqual({
      jsonrpc: '2.0',
      error: { code: -32000, message: 'Forbidden: Origin header not allowed' },
      id: null,
    });
    const nullOrigin = await inject({ host: `127.0.0.1:${port}`, origin: 'null' });
    expect(nullOrigin.statusCode).toBe(403);
  });

  it('accepts the loopback names at the listening port, with or without an allowed Origin', async () => {
    const port = new URL(server.origin).port;
    for (const host of [`localhost:${port}`, `127.0.0.1:${port}`, 'localhost:3300']) {
      const response = await inject({ host });
      expect(response.statusCode, host).toBe(200);
    }
    const sameOrigin = await inject({ host: `localhost:${port}`, origin: `http://localhost:${port}` });
    expect(sameOrigin.statusCode).toBe(200);
    const otherLocalApp = await inject({ host: `localhost:${port}`, origin: 'http://localhost:3000' });
    expect(otherLocalApp.statusCode).toBe(403);
  });

  it('adds configured allow-lists to what the resource identifier implies', async () => {
    const configured = await startServer(key.keys, {
      config: { allowedHosts: ['tickets.acme.example'], allowedOrigins: ['https://agent.acme.example'] },
    });
    try {
      const request = async (headers: Record<string, string>) =>
        (
          await configured.app.inject({
            method: 'POST',
            url: '/mcp',
            headers: mcpHeaders({ authorization: `Bearer ${await mintToken(key)}`, ...headers }),
            payload: JSON.stringify(INITIALIZE),
          })
        ).statusCode;
      expect(await request({ host: 'tickets.acme.example', origin: 'https://agent.acme.example' })).toBe(200);
      expect(await request({ host: 'localhost:3300' })).toBe(200);
      expect(await request({ host: 'tickets.acme.example', origin: 'https://attacker.example' })).toBe(403);
      expect(await request({ host: 'other.acme.example' })).toBe(421);
    } finally {
      await configured.close();
    }
  });
});
