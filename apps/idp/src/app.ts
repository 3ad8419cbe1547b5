import { createSqliteDpopReplayStore } from '@ema/dpop/sqlite';
import {
  ID_JAG_EXCHANGE_AUDIT_TYPE,
  KeyStore,
  type OAuthError,
  RateLimitExceededError,
  type TokenRefusalContext,
  tokenEndpointDpop,
  tokenExchangeGrant,
} from '@ema/oauth-server';
import { formBodyParser, tokenEndpoint } from '@ema/oauth-server/fastify';
import {
  createRateLimiter,
  drainOnClose,
  healthz,
  hostOriginCheck,
  lazyChildLoggerFactory,
  loggerOptions,
  oauthErrorBoundary,
  trustProxyOption,
} from '@ema/oauth-server/runtime';
import { DEFAULT_ALGORITHMS, GRANT_TYPE_TOKEN_EXCHANGE } from '@ema/protocol';
import type { Database } from '@ema/storage/sqlite';
import cookie from '@fastify/cookie';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyInstance } from 'fastify';
import { adminApiRoutes } from './admin/admin-api-routes.js';
import { adminConsoleRoutes } from './admin/admin-console-routes.js';
import type { IdpConfig } from './config.js';
import { authorizationCodeGrant } from './grants/authorization-code.js';
import { refreshTokenGrant } from './grants/refresh-token.js';
import { tokenExchangeOptions } from './grants/token-exchange.js';
import type { IdpContext } from './idp-context.js';
import { accountRoutes } from './routes/account.js';
import { authorizeRoutes } from './routes/authorize.js';
import { discoveryRoutes } from './routes/discovery.js';
import { ENDPOINT_PATHS, endpointUrl } from './routes/endpoint-paths.js';
import { jwksRoutes } from './routes/jwks.js';
import { loginRoutes } from './routes/login.js';
import { logoutRoutes } from './routes/logout.js';
import { passkeyAssetRoutes } from './routes/passkey-assets.js';
import { passkeyLoginRoutes } from './routes/passkey-login.js';
import { userinfoRoutes } from './routes/userinfo.js';
import { seedDemoWorld, upgradeDemoWorld } from './seed/demo-world.js';
import { createSecurityEventSignals } from './ssf/security-event-signals.js';
import { seedDemoReceiver } from './ssf/ssf-demo-receiver.js';
import { ssfRoutes } from './ssf/ssf-routes.js';
import { openIdpDatabase } from './storage/open-idp-database.js';
import { createSqliteIdpStorage } from './storage/sqlite/create-sqlite-idp-storage.js';

/** Test and embedding hooks of {@link buildApp}. */
export interface BuildAppOptions {
  /** Clock in epoch milliseconds (default `Date.now`); tests freeze it. */
  readonly now?: () => number;
  /** Where pino writes its JSON lines (default stdout); tests capture the log to prove nothing secret is in it. */
  readonly logStream?: { write(line: string): void };
  /**
   * Called with the app's database connection once it is open: the fault tests cap its size (`PRAGMA
   * max_page_count`) to play a full disk, and raise it again to play space coming back.
   */
  readonly onDatabaseOpen?: (db: Database) => void;
  /** Used to push Security Events to the Receivers' endpoints (default the global `fetch`). */
  readonly fetch?: typeof fetch;
}

/** The IdP's Fastify instance, decorated with its context (storage, keys, audit) for tests and embedding. */
export type IdpApp = FastifyInstance & { readonly idp: IdpContext };

// A retired key stays published while tokens it signed may still be verified: the longest JWT lifetime plus the
// profile's 30 s clock tolerance, with margin.
function keyRetentionSeconds(config: IdpConfig): number {
  return Math.max(config.idTokenTtlSeconds, config.idJagTtlSeconds) + 60;
}

/**
 * Builds the IdP (does not listen): opens (and migrates) its database (SQLite, or PostgreSQL when
 * `config.databaseUrl` is set), loads or creates its signing key,
 * seeds the demo world on first start when configured, and registers every route.
 */
export async function buildApp(config: IdpConfig, options: BuildAppOptions = {}): Promise<IdpApp> {
  const now = options.now ?? Date.now;
  const opened = await openIdpDatabase(config, now);
  const { db } = opened;
  // The fault tests play a full disk on SQLite's file; PostgreSQL's disk is the server's.
  if (opened.sqlite !== undefined) options.onDatabaseOpen?.(opened.sqlite);
  let context: IdpContext;
  // Delivery failures of the loop itself (storage, signing) go to the app's log once it exists.
  let logDeliveryError = (_error: unknown): void => {};
  let logKeyError = (_error: unknown): void => {};
  try {
    const keyStore = await opened.withKeySetupLock(() =>
      KeyStore.open({ storage: opened.signingKeys, retentionSeconds: keyRetentionSeconds(config), now }),
    );
    // Another instance's rotation: sign with and publish the keys it made current (errors go to the log).
    opened.followKeyChanges(() => void keyStore.refresh().catch((error: unknown) => logKeyError(error)));
    const { audit } = opened;
    const signals = createSecurityEventSignals({
      db,
      issuer: config.issuer,
      keyStore,
      audit,
      retryMaxDelayMs: config.ssf.retryMaxDelayMs,
      maxDeliveryAgeSeconds: config.ssf.maxDeliveryAgeSeconds,
      ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
      now,
      onError: (error) => logDeliveryError(error),
    });
    context = { config, storage: createSqliteIdpStorage(db, opened.commits), keyStore, audit, signals, now };
    if (config.seedDemo) {
      await seedDemoWorld(context);
      upgradeDemoWorld(context);
    }
    seedDemoReceiver(context);
  } catch (error) {
    await opened.close();
    throw error;
  }

  const app = Fastify({
    logger: {
      ...loggerOptions({ name: 'idp', level: config.logLevel }),
      ...(options.logStream === undefined ? {} : { stream: options.logStream }),
    },
    childLoggerFactory: lazyChildLoggerFactory,
    trustProxy: trustProxyOption(config.trustedProxies),
  }).withTypeProvider<TypeBoxTypeProvider>();
  drainOnClose(app);
  app.decorate('idp', context);
  // First of all: a request naming another host (DNS rebinding) or posted from another origin reaches nothing.
  await app.register(hostOriginCheck, {
    publicUrl: config.issuer,
    allowedHosts: config.allowedHosts,
    allowedOrigins: config.allowedOrigins,
  });
  logDeliveryError = (error) => app.log.error({ err: error }, 'Security Event delivery failed');
  logKeyError = (error) => app.log.error({ err: error }, 'signing keys: adopting another instance’s change failed');
  app.addHook('onClose', async () => {
    await context.signals.stop();
    // The WAL checkpointer (SQLite) or the commit listener (PostgreSQL) stops before the connection closes.
    await opened.close();
  });
  // Once per request, before any read: another process sharing the database file, or another instance sharing the
  // PostgreSQL database, may have changed admin data (a policy change takes effect at the next exchange). Callback style: no promise per request.
  app.addHook('onRequest', (_request, _reply, done) => {
    context.storage.dropStaleCaches();
    done();
  });
  // Root-level, so it runs for the token endpoint and every other route registered below.
  await app.register(oauthErrorBoundary);
  await app.register(cookie);
  await app.register(formBodyParser);
  await app.register(healthz);
  await app.register(discoveryRoutes, { context });
  await app.register(jwksRoutes, { context });
  await app.register(authorizeRoutes, { context });
  await app.register(loginRoutes, { context });
  await app.register(passkeyLoginRoutes, { context });
  await app.register(passkeyAssetRoutes);
  await app.register(accountRoutes, { context });
  await app.register(logoutRoutes, { context });
  await app.register(userinfoRoutes, { context });
  await app.register(tokenEndpoint, {
    path: ENDPOINT_PATHS.token,
    grants: [
      authorizationCodeGrant(context),
      refreshTokenGrant(context),
      tokenExchangeGrant(tokenExchangeOptions(context)),
    ],
    findClient: (clientId: string) => context.storage.findClient(clientId),
    // RFC 9449 §5: a proof at the exchange binds the ID-JAG to the client's key (cnf.jkt).
    dpop: tokenEndpointDpop(
      { requiredClients: config.dpopRequiredClients, nonces: config.dpopNonces },
      {
        htu: endpointUrl(config.issuer, ENDPOINT_PATHS.token),
        algorithms: DEFAULT_ALGORITHMS,
        replay: createSqliteDpopReplayStore(db),
        now,
      },
    ),
    realm: config.issuer,
    rateLimits: {
      perAddress: { max: config.tokenRateLimitPerAddress, windowSeconds: 60 },
      perClient: { max: config.tokenRateLimitPerClient, windowSeconds: 60 },
    },
    onRefusal: (error: OAuthError, refusal: TokenRefusalContext) => {
      const exchange = refusal.grantType === GRANT_TYPE_TOKEN_EXCHANGE;
      context.audit.record({
        type: exchange ? ID_JAG_EXCHANGE_AUDIT_TYPE : 'token.refused',
        outcome: exchange ? 'deny' : 'failure',
        reason: error.error,
        ...(refusal.clientId === undefined ? {} : { clientId: refusal.clientId }),
        details: { grant_type: refusal.grantType ?? null, description: error.description ?? null },
      });
    },
  });
  await app.register(ssfRoutes, { context });
  await app.register(adminConsoleRoutes, { context });
  // The admin API, limited per address before anything else runs (a stolen session or a token guess gets few tries).
  await app.register(async (adminScope) => {
    const limit = await createRateLimiter(adminScope, { max: config.adminRateLimitPerAddress, windowSeconds: 60 });
    adminScope.addHook('onRequest', async (request) => {
      const exceeded = await limit(request);
      if (exceeded !== undefined) throw new RateLimitExceededError(exceeded.retryAfterSeconds);
    });
    await adminScope.register(adminApiRoutes, { context });
  });
  return app as unknown as IdpApp;
}
