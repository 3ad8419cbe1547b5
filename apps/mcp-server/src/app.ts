/**
 * `buildApp(config)`: the MCP server "Acme Tickets" as a Fastify instance (not listening; `server.ts` listens).
 */
import { createDpopNonces } from '@ema/dpop';
import { createSqliteDpopReplayStore } from '@ema/dpop/sqlite';
import { createRemoteJwks, type KeyResolver } from '@ema/jwt';
import {
  drainOnClose,
  healthz,
  hostOriginCheck,
  lazyChildLoggerFactory,
  loggerOptions,
  oauthErrorBoundary,
  trustProxyOption,
} from '@ema/oauth-server/runtime';
import { protectedResourceMetadataRoutes } from '@ema/resource-server/fastify';
import { createGroupCommit } from '@ema/storage';
import type { Database } from '@ema/storage/sqlite';
import Fastify, { type FastifyInstance } from 'fastify';
import { createMcpAudit } from './audit/mcp-audit.js';
import type { McpServerConfig } from './config.js';
import { JSON_RPC_SERVER_ERROR, jsonRpcError } from './mcp/json-rpc-error.js';
import { mcpEndpoint } from './mcp/mcp-endpoint.js';
import { SessionRegistry } from './mcp/session-registry.js';
import { createMcpRevocation } from './revocation/revocation-receiver.js';
import { revocationRoutes } from './revocation/revocation-routes.js';
import { openMcpDatabase } from './storage/mcp-database.js';
import { createSqliteTicketStore } from './tickets/sqlite-ticket-store.js';
import { SCOPES_SUPPORTED } from './tools/tool-scopes.js';

/** What tests (or an embedding host) may substitute. */
export interface AppDependencies {
  /**
   * The RAS signing keys. Default: the RAS JWKS at `config.rasJwksUri`, fetched on first use, cached, and refetched
   * (rate-limited) on an unknown `kid`, so validating a token costs no network call.
   */
  keys?: KeyResolver;
  /** The clock used to validate token times. */
  now?: () => Date;
  /** Where the pino log lines go (default stdout); tests capture them to prove no token is ever logged. */
  logStream?: { write(line: string): void };
  /**
   * Called with the app's database connection once it is open: the fault tests cap its size (`PRAGMA
   * max_page_count`) to play a full disk, and raise it again to play space coming back. SQLite only.
   */
  onDatabaseOpen?: (db: Database) => void;
}

// The refusals in the transport's own JSON-RPC shape (the SDK answers the same checks with -32000).
const REFUSALS = {
  host_missing: 'Bad Request: Host header required',
  host_not_allowed: 'Misdirected Request: Host header not allowed',
  origin_not_allowed: 'Forbidden: Origin header not allowed',
} as const;

export { DATABASE_FILE } from './storage/mcp-database.js';

/** Builds the app: metadata routes, `/healthz`, and the protected MCP endpoint. */
export async function buildApp(config: McpServerConfig, deps: AppDependencies = {}): Promise<FastifyInstance> {
  const logger = loggerOptions({ level: config.logLevel, name: 'mcp-server' });
  const app = Fastify({
    logger: deps.logStream ? { ...logger, stream: deps.logStream } : logger,
    childLoggerFactory: lazyChildLoggerFactory,
    trustProxy: trustProxyOption(config.trustedProxies),
  });
  drainOnClose(app);

  // PostgreSQL when configured (instances share it), else SQLite in the data directory as a lone instance runs.
  const storage = await openMcpDatabase(config, deps.onDatabaseOpen);
  const { db, auditLog } = storage;
  // Tickets and audit records share this database: a tool call's writes and its record are one group-commit item.
  const inTransaction = db.transaction((work: () => void) => work());
  const commit = createGroupCommit({ transaction: (work) => inTransaction.immediate(work) });
  const audit = createMcpAudit({ audit: auditLog, commit, log: app.log, resource: config.resource });
  const sessions = new SessionRegistry({
    maxSessions: config.maxSessions,
    maxSessionsPerSubject: config.maxSessionsPerSubject,
    maxSessionsPerClient: config.maxSessionsPerClient,
    idleTimeoutMs: config.sessionIdleTimeoutSeconds * 1000,
    onEvict: (session, reason) =>
      app.log.info({ reason, owner: session.owner.subject }, 'MCP session closed by the server'),
  });
  const keys =
    deps.keys ?? createRemoteJwks(config.rasJwksUri, { staleIfErrorSeconds: config.rasJwksStaleIfErrorSeconds });
  const clock = () => (deps.now === undefined ? Date.now() : deps.now().getTime());
  const revocation = createMcpRevocation({
    db,
    config,
    keys,
    sessions,
    audit: auditLog,
    now: clock,
    ...(storage.revocationChanges === undefined ? {} : { changes: storage.revocationChanges }),
  });
  if (storage.revocationChanges !== undefined) {
    // Before any route: a request is checked against the revocations every instance received (MCP-PG-REVOCATION-SHARED).
    app.addHook('onRequest', (_request, _reply, done) => {
      revocation.refresh();
      done();
    });
  }
  const sweep = setInterval(
    () => {
      sessions.sweep();
      revocation.purge(clock());
    },
    Math.min(config.sessionIdleTimeoutSeconds * 500, 60_000),
  );
  sweep.unref();
  app.addHook('preClose', async () => {
    clearInterval(sweep);
    // Open SSE streams would otherwise keep the HTTP server from closing.
    await sessions.closeAll();
  });
  app.addHook('onClose', async () => {
    commit.flush();
    await storage.close();
  });

  // First of all, on every route: DNS-rebinding protection (MCP "Transports", Streamable HTTP security warning:
  // servers MUST validate the Origin header), on every method, before any token is looked at.
  await app.register(hostOriginCheck, {
    publicUrl: config.resource,
    allowedHosts: config.allowedHosts ?? [],
    allowedOrigins: config.allowedOrigins ?? [],
    originOnEveryMethod: true,
    refuse: (reply, refusal, status) => reply.code(status).send(jsonRpcError(JSON_RPC_SERVER_ERROR, REFUSALS[refusal])),
  });
  await app.register(oauthErrorBoundary);
  await app.register(healthz);
  await app.register(protectedResourceMetadataRoutes, {
    resource: config.resource,
    resourceName: config.resourceName,
    authorizationServer: config.authorizationServer,
    scopesSupported: SCOPES_SUPPORTED,
    dpop: { algorithms: config.algorithms, required: config.dpopRequired },
  });
  await app.register(revocationRoutes, { receive: revocation.receive });
  await app.register(mcpEndpoint, {
    config,
    keys,
    tickets: createSqliteTicketStore(db),
    audit,
    sessions,
    revocations: revocation.list,
    // RFC 9449 §7: DPoP-bound tokens with a proof per request; proofs seen are kept in this database (§11.1).
    dpop: {
      algorithms: config.algorithms,
      replay: createSqliteDpopReplayStore(db),
      required: config.dpopRequired,
      ...(config.dpopNonces ? { nonces: createDpopNonces({ now: clock }) } : {}),
    },
    ...(deps.now === undefined ? {} : { now: deps.now }),
  });
  return app;
}
