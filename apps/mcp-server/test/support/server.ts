/** Starts the app on 127.0.0.1, port 0, with a temporary data directory and the test RAS keys. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KeyResolver } from '@ema/jwt';
import type { AuditRecord } from '@ema/storage';
import { createSqliteAuditLog, openDatabase } from '@ema/storage/sqlite';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { FastifyInstance } from 'fastify';
import { buildApp, DATABASE_FILE } from '../../src/app.js';
import { type McpServerConfigInput, resolveConfig } from '../../src/config.js';

/** A running app. */
export interface RunningServer {
  app: FastifyInstance;
  /** The MCP endpoint as the tests reach it: `http://127.0.0.1:<port>/mcp`. */
  url: URL;
  origin: string;
  dataDir: string;
  close(): Promise<void>;
}

/** A fresh temporary data directory. */
export function tempDataDir(): string {
  return mkdtempSync(join(tmpdir(), 'ema-mcp-server-'));
}

/** Builds and starts the app. The data directory is removed on close unless the caller supplied it. */
export async function startServer(
  keys: KeyResolver,
  options: { dataDir?: string; config?: McpServerConfigInput } = {},
): Promise<RunningServer> {
  const dataDir = options.dataDir ?? tempDataDir();
  const config = resolveConfig({ dataDir, logLevel: 'silent', allowInsecureLoopback: true, ...options.config });
  const app = await buildApp(config, { keys });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  if (address === null || typeof address === 'string') throw new Error('not listening on a port');
  const origin = `http://127.0.0.1:${address.port}`;
  return {
    app,
    url: new URL('/mcp', origin),
    origin,
    dataDir,
    async close() {
      await app.close();
      if (options.dataDir === undefined) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** An SDK client connected with `token` in the Authorization header of every request. */
export async function connectClient(server: RunningServer, token: string): Promise<Client> {
  const client = new Client({ name: 'mcp-server-tests', version: '0.0.0' });
  await client.connect(
    new StreamableHTTPClientTransport(server.url, { requestInit: { headers: { Authorization: `Bearer ${token}` } } }),
  );
  return client;
}

/** The audit records of a data directory, newest first (read through the kit, as an operator would). */
export function auditRecords(dataDir: string, type?: string): AuditRecord[] {
  const db = openDatabase({ file: join(dataDir, DATABASE_FILE), migrations: [] });
  try {
    return createSqliteAuditLog(db).query(type === undefined ? {} : { type });
  } finally {
    db.close();
  }
}

/** Headers of a raw MCP POST (what the SDK's transport sends). */
export function mcpHeaders(extra: Record<string, string> = {}): Record<string, string> {
  return { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...extra };
}

/** An `initialize` request body. */
export const INITIALIZE = {
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'raw', version: '0' } },
} as const;
