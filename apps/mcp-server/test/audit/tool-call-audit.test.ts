import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_FILE } from '../../src/app.js';
import { auditRecords, connectClient, type RunningServer, startServer } from '../support/server.js';
import { createTestKey, IDP_ISSUER, mintToken, RESOURCE, type TestKey } from '../support/tokens.js';

describe('audit of tool calls', () => {
  let key: TestKey;
  let server: RunningServer;
  let token: string;

  beforeAll(async () => {
    key = await createTestKey();
    server = await startServer(key.keys);
    token = await mintToken(key, { jti: 'at-audit-1', id_jag_jti: 'idjag-audit-1', sub: 'alice' });
    const client = await connectClient(server, token);
    await client.callTool({ name: 'whoami', arguments: {} });
    await client.callTool({ name: 'create_ticket', arguments: { title: 'Audited', description: 'yes' } });
    await client.callTool({ name: 'get_ticket', arguments: { id: 777 } });
    await client.callTool({ name: 'get_ticket', arguments: { id: 'x' } });
    await client.callTool({ name: 'no_such_tool', arguments: {} });
    await client.close();
  });
  afterAll(() => server.close());

  it('[MCP-AUDIT-TOOL-CALL] records every tool call with subject, client, token jti, ID-JAG reference and outcome', () => {
    const records = auditRecords(server.dataDir, 'mcp.tool_call')
      .filter((record) => record.jti === 'at-audit-1')
      .reverse();
    expect(records.map((record) => [record.details?.tool, record.outcome, record.reason])).toStrictEqual([
      ['whoami', 'success', undefined],
      ['create_ticket', 'success', undefined],
      ['get_ticket', 'failure', 'not_found'],
      ['get_ticket', 'failure', 'invalid_request'],
      ['no_such_tool', 'failure', 'invalid_request'],
    ]);
    for (const record of records) {
      expect(record).toMatchObject({
        type: 'mcp.tool_call',
        subject: 'alice',
        clientId: 'acme-agent-host',
        resource: RESOURCE,
        jti: 'at-audit-1',
        details: { iss: 'http://localhost:3200', id_jag_jti: 'idjag-audit-1', id_jag_iss: IDP_ISSUER },
      });
      expect(typeof record.details?.session_id).toBe('string');
    }
    expect(records[1]?.details).toMatchObject({ ticket_id: 6 });
  });

  it('[MCP-AUDIT-TOOL-CALL] never stores the token value', () => {
    const serialized = JSON.stringify(auditRecords(server.dataDir));
    expect(serialized).not.toContain(token);
    expect(serialized).not.toContain(token.split('.')[2]);
  });

  it('records tokens without an ID-JAG reference with null references', async () => {
    const client = await connectClient(server, await mintToken(key, { jti: 'at-audit-2', id_jag_jti: undefined }));
    await client.callTool({ name: 'whoami', arguments: {} });
    await client.close();
    const [record] = auditRecords(server.dataDir, 'mcp.tool_call').filter((r) => r.jti === 'at-audit-2');
    expect(record?.details).toMatchObject({ id_jag_jti: null });
  });

  it('[MCP-AUDIT-BEFORE-RESPONSE] answers a JSON-RPC internal error, not the result, when the record cannot be committed', async () => {
    const client = await connectClient(server, await mintToken(key, { jti: 'at-audit-3' }));
    // Another connection makes every audit insert fail (a full disk would too).
    const other = new Database(join(server.dataDir, DATABASE_FILE));
    try {
      other.exec("CREATE TRIGGER refuse_audit BEFORE INSERT ON audit_log BEGIN SELECT RAISE(ABORT, 'disk full'); END");
      await expect(client.callTool({ name: 'whoami', arguments: {} })).rejects.toMatchObject({ code: -32603 });
      other.exec('DROP TRIGGER refuse_audit');
      const answered = await client.callTool({ name: 'whoami', arguments: {} });
      expect(answered.isError).not.toBe(true);
      // Only the call whose record was committed is in the trail.
      expect(auditRecords(server.dataDir, 'mcp.tool_call').filter((r) => r.jti === 'at-audit-3')).toHaveLength(1);
    } finally {
      other.close();
      await client.close();
    }
  });
});
