/**
 * SIGKILL of the MCP server mid-load (16 users creating tickets at once, each on a session of their own), then a
 * restart on the same data directory. Every `create_ticket` answered with its ticket before the crash has its ticket
 * and its audit record in the database file, and the restarted server shows the ticket to a new session.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mintAccessToken } from '@ema/jwt';
import { ACR_MULTI_FACTOR } from '@ema/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CrashableApp, startCrashableApp } from '../../src/faults/crashable-app.js';
import { type KeyServer, startKeyServer } from '../../src/faults/key-server.js';
import { crashPoint, loadUntilCrash } from '../../src/faults/load.js';
import { type McpSession, openMcpSession } from '../../src/faults/mcp-calls.js';
import { openReadOnly } from '../../src/faults/read-only-database.js';
import { freePort } from '../../src/free-port.js';

const UNLIMITED = String(1_000_000_000);

interface Created {
  id: number;
  title: string;
}

describe('SIGKILL of the MCP server', () => {
  let ras: KeyServer;
  let mcp: CrashableApp;
  let endpoint: string;
  let dataDir: string;

  beforeAll(async () => {
    ras = await startKeyServer();
    dataDir = mkdtempSync(join(tmpdir(), 'ema-fault-mcp-'));
    const port = await freePort();
    endpoint = `http://127.0.0.1:${port}/mcp`;
    mcp = await startCrashableApp('mcp-server', {
      port,
      env: {
        MCP_HOST: '127.0.0.1',
        MCP_RESOURCE: endpoint,
        MCP_AUTHORIZATION_SERVER: ras.issuer,
        MCP_RAS_JWKS_URI: ras.jwksUri,
        MCP_DATA_DIR: dataDir,
        MCP_LOG_LEVEL: 'warn',
        MCP_RATE_LIMIT_PER_ADDRESS: UNLIMITED,
        MCP_RATE_LIMIT_PER_SUBJECT: UNLIMITED,
      },
    });
  }, 90_000);
  afterAll(async () => {
    await mcp?.stop();
    await ras?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  /**
   * An access token as the RAS would issue it for this MCP server after a sign-in with a passkey: `create_ticket`
   * needs a second factor by default (RFC 9470, the server's per-tool requirement).
   */
  function accessToken(user: number): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    return mintAccessToken(
      {
        iss: ras.issuer,
        sub: `user-${user}`,
        aud: endpoint,
        client_id: 'acme-agent-host',
        jti: randomUUID(),
        iat: now,
        exp: now + 600,
        scope: 'tickets.read tickets.write',
        email: `user-${user}@acme.example`,
        acr: ACR_MULTI_FACTOR,
        amr: ['pwd', 'hwk', 'user', 'mfa'],
        auth_time: now - 60,
      },
      ras.signer,
    );
  }

  it('[FAULT-SIGKILL-DURABLE] every ticket answered as created before the crash is stored with its audit record, and shown after the restart', async () => {
    const sessions: McpSession[] = await Promise.all(
      Array.from({ length: 16 }, async (_, user) => openMcpSession(endpoint, await accessToken(user))),
    );
    let sequence = 0;
    const load = await loadUntilCrash<Created>({
      concurrency: 16,
      crashAfter: crashPoint('mcp-server', 30, 200),
      crash: () => mcp.crash(),
      request: async (worker) => {
        sequence += 1;
        const title = `Fault ticket ${sequence}`;
        const response = await sessions[worker]?.callTool('create_ticket', { title, description: 'mid-load' });
        const ticket = response?.result?.structuredContent?.ticket as Created | undefined;
        if (response?.result?.isError === true || ticket === undefined) return undefined;
        return { id: ticket.id, title };
      },
    });
    expect(load.refused).toBe(0);
    expect(load.succeeded.length).toBeGreaterThan(0);

    await mcp.restart();
    const db = openReadOnly(join(dataDir, 'mcp-server.sqlite'));
    try {
      const ticket = db.prepare<[number], { title: string }>('SELECT title FROM tickets WHERE id = ?');
      const audited = db.prepare<[number], { id: number }>(
        `SELECT id FROM audit_log WHERE type = 'mcp.tool_call' AND outcome = 'success'
           AND json_extract(details, '$.tool') = 'create_ticket' AND json_extract(details, '$.ticket_id') = ?`,
      );
      for (const created of load.succeeded) {
        expect(ticket.get(created.id)?.title, `ticket ${created.id}`).toBe(created.title);
        expect(audited.get(created.id), `audit record of ticket ${created.id}`).toBeDefined();
      }
    } finally {
      db.close();
    }
    // Through the API, on a session opened after the restart.
    const after = await openMcpSession(endpoint, await accessToken(99));
    for (const created of load.succeeded.slice(-10)) {
      const response = await after.callTool('get_ticket', { id: created.id });
      expect(response?.result?.structuredContent?.ticket).toMatchObject({ id: created.id, title: created.title });
    }
  }, 300_000);
});
