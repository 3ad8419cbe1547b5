/**
 * The agent host as a Fastify app: sign-in with the organization, the catalog of MCP servers, tool forms, and the
 * flow inspector. `buildApp` does not listen (server.ts does); tests inject `fetch` to reach in-process apps.
 */
import { join } from 'node:path';
import { clientSecretBasic, EmaClient, type FetchLike } from '@ema/ema-client';
import { html, sendPage } from '@ema/html';
import { STORAGE_RETRY_AFTER_SECONDS } from '@ema/oauth-server';
import { formBodyParser } from '@ema/oauth-server/fastify';
import {
  drainOnClose,
  generateSecret,
  healthz,
  hostOriginCheck,
  loggerOptions,
  readOrCreateSecretFile,
} from '@ema/oauth-server/runtime';
import { isStorageUnavailable } from '@ema/storage';
import { type Database, openDatabase } from '@ema/storage/sqlite';
import cookie from '@fastify/cookie';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyInstance } from 'fastify';
import type { AgentHostConfig } from './config.js';
import type { AgentHostContext } from './context.js';
import { IdpClient } from './oidc/idp-client.js';
import { layout } from './pages/layout.js';
import { authRoutes } from './routes/auth-routes.js';
import { inspectorRoutes } from './routes/inspector-routes.js';
import { serverRoutes } from './routes/server-routes.js';
import { createSealer } from './session/seal.js';
import { createSqliteDpopKeys } from './storage/dpop-key-store.js';
import { agentHostMigrations } from './storage/migrations.js';
import { SessionStore } from './storage/session-store.js';

/** What tests (or an embedding) may replace. */
export interface AgentHostDeps {
  /** Outbound HTTP for the IdP, the RAS and MCP servers. */
  fetch?: FetchLike;
  /** Clock, epoch milliseconds. */
  now?: () => number;
  /** Logging on or off (tests). Default on. */
  logger?: boolean;
  /**
   * Called with the app's database connection once it is open: the fault tests cap its size (`PRAGMA
   * max_page_count`) to play a full disk, and raise it again to play space coming back.
   */
  onDatabaseOpen?: (db: Database) => void;
}

declare module 'fastify' {
  interface FastifyInstance {
    agentHost: AgentHostContext | null;
  }
}

/** The file of the data directory that keeps the generated session secret (when `AGENT_SESSION_SECRET` is unset). */
export const SESSION_SECRET_FILE = 'session-secret';

/** The configured session secret, else the one kept in the data directory (created there on the first start). */
function sessionSecretOf(config: AgentHostConfig): string {
  if (config.sessionSecret !== undefined) return config.sessionSecret;
  // `:memory:` keeps nothing, sessions included: a secret for this process only.
  if (config.dataDir === ':memory:') return generateSecret();
  return readOrCreateSecretFile(join(config.dataDir, SESSION_SECRET_FILE));
}

/** Builds the app (does not listen). */
export async function buildApp(config: AgentHostConfig, deps: AgentHostDeps = {}): Promise<FastifyInstance> {
  const now = deps.now ?? Date.now;
  const db = openDatabase({
    file: config.dataDir === ':memory:' ? ':memory:' : join(config.dataDir, 'agent-host.sqlite'),
    migrations: agentHostMigrations,
  });
  deps.onDatabaseOpen?.(db);
  const sessionSecret = sessionSecretOf(config);
  const sealer = createSealer(sessionSecret);
  const sessions = new SessionStore(db, sealer, now);
  sessions.sweep();
  const idp = new IdpClient(config, deps.fetch);
  // The host's registration at each RAS, by exact issuer (RFC 6749 §2.3.1 client_secret_basic at each).
  const rasClientAuthentication = new Map(
    Object.entries(config.rasCredentials).map(([issuer, credentials]) => [issuer, clientSecretBasic(credentials)]),
  );
  const ema = new EmaClient({
    idp: {
      tokenEndpoint: () => idp.tokenEndpoint(),
      clientAuthentication: clientSecretBasic({ clientId: config.idp.clientId, clientSecret: config.idp.clientSecret }),
    },
    rasClientAuthentication: (issuer) => rasClientAuthentication.get(issuer),
    allowInsecureLoopback: config.allowInsecureLoopback,
    renewBeforeSeconds: config.tokenRenewBeforeSeconds,
    timeoutMs: config.httpTimeoutMs,
    now,
    // RFC 9449: one sealed ES256 key per connection; the ID-JAG and the access token are bound to it.
    ...(config.dpop ? { dpopKeys: createSqliteDpopKeys(db, sealer, now) } : {}),
    ...(deps.fetch ? { fetch: deps.fetch } : {}),
  });
  const context: AgentHostContext = { config, sessions, idp, ema, now };

  const app = Fastify({
    logger: deps.logger === false ? false : loggerOptions({ name: 'agent-host', level: config.logLevel }),
    bodyLimit: 64 * 1024,
  }).withTypeProvider<TypeBoxTypeProvider>();
  drainOnClose(app);
  app.decorate('agentHost', null);
  app.agentHost = context;
  app.decorateRequest('agentSession', null);
  app.addHook('onClose', async () => {
    db.close();
  });
  const sweep = setInterval(() => sessions.sweep(), 10 * 60 * 1000);
  sweep.unref();
  app.addHook('onClose', async () => clearInterval(sweep));

  // One exit for the unexpected: a plain page, details only in the log. A storage outage (a full disk) is a 503 with
  // Retry-After: nothing of the request was kept, and the person may try again.
  app.setErrorHandler((error, request, reply) => {
    if (isStorageUnavailable(error)) {
      request.log.error({ err: error }, 'storage unavailable');
      const title = 'Temporarily unavailable';
      reply.header('retry-after', String(STORAGE_RETRY_AFTER_SECONDS));
      return sendPage(reply, 503, layout(title, html`<h1>${title}</h1><p>Please try again in a moment.</p>`));
    }
    const status =
      typeof error === 'object' && error !== null && 'statusCode' in error && typeof error.statusCode === 'number'
        ? error.statusCode
        : 500;
    if (status >= 500) request.log.error({ err: error }, 'request failed');
    const title = status < 500 ? 'Bad request' : 'Something went wrong';
    return sendPage(
      reply,
      Math.min(status, 500),
      layout(title, html`<h1>${title}</h1><p><a href="/">Back to the agent host</a></p>`),
    );
  });
  app.setNotFoundHandler((_request, reply) =>
    sendPage(reply, 404, layout('Not found', html`<h1>Not found</h1><p><a href="/">Back to the agent host</a></p>`)),
  );

  // First of all: a request naming another host (DNS rebinding) or a form posted from another origin reaches nothing.
  await app.register(hostOriginCheck, {
    publicUrl: config.baseUrl,
    allowedHosts: config.allowedHosts,
    allowedOrigins: config.allowedOrigins,
    refuse: (reply, _refusal, status) => {
      const title = status === 421 ? 'Misdirected request' : status === 403 ? 'Forbidden' : 'Bad request';
      return sendPage(reply, status, layout(title, html`<h1>${title}</h1><p>This request is not for this site.</p>`));
    },
  });
  await app.register(cookie, { secret: sessionSecret });
  // The one form parser of the repository (the token endpoints' rules: repeated parameters refused).
  await app.register(formBodyParser);
  await app.register(healthz);
  await app.register(authRoutes, { context });
  await app.register(serverRoutes, { context });
  await app.register(inspectorRoutes, { context });
  return app;
}
