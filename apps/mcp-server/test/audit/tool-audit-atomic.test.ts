import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_FILE } from '../../src/app.js';
import { auditRecords, connectClient, type RunningServer, startServer } from '../support/server.js';
import { createTestKey, mintToken, type TestKey } from '../support/tokens.js';

/**
 * A tool's change and its audit record are one transaction: a second connection to the server's own database file
 * makes one of the two fail with a trigger (a full disk or a broken audit table would do the same).
 */
describe('a tool call commits its change and its audit record together', () => {
  let key: TestKey;
  let server: RunningServer;
  let db: Database.Database;

  beforeAll(async () => {
    key = await createTestKey();
    server = await startServer(key.keys);
    db = new Database(join(server.dataDir, DATABASE_FILE));
  });
  afterAll(async () => {
    db.close();
    await server.close();
  });

  const ticketCount = (): number =>
    db.prepare<[], { n: number }>('SELECT count(*) AS n FROM tickets').get()?.n ?? Number.NaN;
  const statusOf = (id: number): string | undefined =>
    db.prepare<[number], { status: string }>('SELECT status FROM tickets WHERE id = ?').get(id)?.status;
  const recordsOf = (jti: string) => auditRecords(server.dataDir, 'mcp.tool_call').filter((r) => r.jti === jti);

  /** Runs `body` while every tool-call audit insert fails. */
  async function withAuditFailing(body: () => Promise<void>): Promise<void> {
    db.exec(`CREATE TRIGGER refuse_tool_audit BEFORE INSERT ON audit_log WHEN NEW.type = 'mcp.tool_call'
      BEGIN SELECT RAISE(ABORT, 'audit unavailable'); END`);
    try {
      await body();
    } finally {
      db.exec('DROP TRIGGER refuse_tool_audit');
    }
  }

  it('[MCP-TOOL-AUDIT-ATOMIC] create_ticket: when the audit record cannot be committed, no ticket is created and the client gets -32603', async () => {
    const client = await connectClient(server, await mintToken(key, { jti: 'at-atomic-create' }));
    try {
      const before = ticketCount();
      await withAuditFailing(async () => {
        await expect(
          client.callTool({ name: 'create_ticket', arguments: { title: 'Never', description: 'rolled back' } }),
        ).rejects.toMatchObject({ code: -32603 });
      });
      expect(ticketCount()).toBe(before);
      expect(recordsOf('at-atomic-create')).toEqual([]);
    } finally {
      await client.close();
    }
  });

  it('[MCP-TOOL-AUDIT-ATOMIC] update_ticket: when the audit record cannot be committed, the ticket keeps its state', async () => {
    const client = await connectClient(server, await mintToken(key, { jti: 'at-atomic-update' }));
    try {
      const before = statusOf(1);
      expect(before).not.toBe('closed');
      await withAuditFailing(async () => {
        await expect(
          client.callTool({ name: 'update_ticket', arguments: { id: 1, status: 'closed' } }),
        ).rejects.toMatchObject({ code: -32603 });
      });
      expect(statusOf(1)).toBe(before);
    } finally {
      await client.close();
    }
  });

  it('[MCP-TOOL-AUDIT-ATOMIC] on success both the ticket and its audit record are committed before the answer', async () => {
    const client = await connectClient(server, await mintToken(key, { jti: 'at-atomic-ok' }));
    try {
      const before = ticketCount();
      const result = await client.callTool({
        name: 'create_ticket',
        arguments: { title: 'Kept', description: 'with its record' },
      });
      expect(result.isError).not.toBe(true);
      const ticket = (result.structuredContent as { ticket?: { id?: number } } | undefined)?.ticket;
      expect(ticketCount()).toBe(before + 1);
      const [record] = recordsOf('at-atomic-ok');
      expect(record).toMatchObject({ outcome: 'success', details: { tool: 'create_ticket' } });
      expect(record?.details?.ticket_id).toBe(ticket?.id ?? Number.NaN);
    } finally {
      await client.close();
    }
  });

  it('[MCP-TOOL-AUDIT-ATOMIC] when the tool itself fails, its partial change is undone and the failure is audited', async () => {
    const client = await connectClient(server, await mintToken(key, { jti: 'at-atomic-tool-fails' }));
    db.exec(`CREATE TRIGGER refuse_ticket AFTER INSERT ON tickets BEGIN SELECT RAISE(ABORT, 'no tickets today'); END`);
    try {
      const before = ticketCount();
      const result = await client.callTool({ name: 'create_ticket', arguments: { title: 'No', description: 'no' } });
      expect(result.isError).toBe(true);
      expect(ticketCount()).toBe(before);
      expect(recordsOf('at-atomic-tool-fails').map((r) => [r.outcome, r.reason])).toEqual([
        ['failure', 'internal_error'],
      ]);
    } finally {
      db.exec('DROP TRIGGER refuse_ticket');
      await client.close();
    }
  });
});
