import { afterEach, describe, expect, it } from 'vitest';
import type { McpServerConfigInput } from '../../src/config.js';
import { INITIALIZE, mcpHeaders, type RunningServer, startServer } from '../support/server.js';
import { createTestKey, mintToken, type TestKey } from '../support/tokens.js';

/**
 * Session limits over HTTP: one subject can never close another subject's sessions, whatever it opens; a client at
 * its limit and a full table refuse new sessions with a retry time instead.
 */
describe('MCP session limits', () => {
  let server: RunningServer | undefined;
  let key: TestKey;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  async function start(config: McpServerConfigInput): Promise<RunningServer> {
    key = await createTestKey();
    server = await startServer(key.keys, { config });
    return server;
  }

  async function initialize(running: RunningServer, sub: string, clientId = 'acme-agent-host'): Promise<Response> {
    const response = await fetch(running.url, {
      method: 'POST',
      headers: mcpHeaders({ authorization: `Bearer ${await mintToken(key, { sub, client_id: clientId })}` }),
      body: JSON.stringify(INITIALIZE),
    });
    return response;
  }

  async function open(running: RunningServer, sub: string, clientId = 'acme-agent-host'): Promise<string> {
    const response = await initialize(running, sub, clientId);
    expect(response.status).toBe(200);
    await response.body?.cancel();
    return response.headers.get('mcp-session-id') ?? '';
  }

  /** Whether `session` still answers its owner. */
  async function alive(running: RunningServer, session: string, sub: string, clientId = 'acme-agent-host') {
    const response = await fetch(running.url, {
      method: 'POST',
      headers: mcpHeaders({
        authorization: `Bearer ${await mintToken(key, { sub, client_id: clientId })}`,
        'mcp-session-id': session,
        'mcp-protocol-version': '2025-11-25',
      }),
      body: JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list' }),
    });
    await response.body?.cancel();
    return response.status === 200;
  }

  it('[MCP-SESSION-LIMIT-PER-SUBJECT] a subject opening many sessions never closes another subject’s, even at the global limit', async () => {
    const running = await start({ maxSessions: 3 });
    const alice = await open(running, 'alice');
    const bob = await open(running, 'bob');
    // mallory fills the table and keeps going.
    const refusals: Response[] = [];
    for (let i = 0; i < 5; i += 1) {
      const response = await initialize(running, 'mallory');
      if (response.status !== 200) refusals.push(response);
      await response.body?.cancel();
    }
    expect(await alive(running, alice, 'alice')).toBe(true);
    expect(await alive(running, bob, 'bob')).toBe(true);
    // mallory got one slot and then replaced her own session each time: never refused, never evicting others.
    expect(refusals).toHaveLength(0);
    // A newcomer with no session to give up is refused while the table is full: 503 with a retry time.
    const carol = await initialize(running, 'carol');
    expect(carol.status).toBe(503);
    expect(Number(carol.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await carol.json()).toStrictEqual({
      jsonrpc: '2.0',
      error: { code: -32000, message: 'Service unavailable: too many sessions; retry later' },
      id: null,
    });
  });

  it('[MCP-SESSION-LIMIT-PER-SUBJECT] a subject at its own limit replaces its least recently used session', async () => {
    const running = await start({ maxSessionsPerSubject: 2 });
    const first = await open(running, 'alice');
    const second = await open(running, 'alice');
    const bob = await open(running, 'bob');
    expect(await alive(running, first, 'alice')).toBe(true);
    const third = await open(running, 'alice');
    // `first` was used more recently than `second`: `second` makes room.
    expect(await alive(running, second, 'alice')).toBe(false);
    expect(await alive(running, first, 'alice')).toBe(true);
    expect(await alive(running, third, 'alice')).toBe(true);
    expect(await alive(running, bob, 'bob')).toBe(true);
  });

  it('[MCP-SESSION-LIMIT-PER-CLIENT] a client at its limit is refused with 429 and Retry-After, closing no other subject’s session', async () => {
    const running = await start({ maxSessionsPerClient: 2 });
    const alice = await open(running, 'alice', 'agent-a');
    const bob = await open(running, 'bob', 'agent-a');
    const refused = await initialize(running, 'mallory', 'agent-a');
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await refused.json()).toStrictEqual({
      jsonrpc: '2.0',
      error: { code: -32000, message: 'Too many sessions for this client; retry later' },
      id: null,
    });
    expect(await alive(running, alice, 'alice', 'agent-a')).toBe(true);
    expect(await alive(running, bob, 'bob', 'agent-a')).toBe(true);
    // Another client is not affected, and alice may replace her own session through the full client.
    await open(running, 'mallory', 'agent-b');
    const again = await open(running, 'alice', 'agent-a');
    expect(await alive(running, again, 'alice', 'agent-a')).toBe(true);
    expect(await alive(running, alice, 'alice', 'agent-a')).toBe(false);
    expect(await alive(running, bob, 'bob', 'agent-a')).toBe(true);
  });
});
