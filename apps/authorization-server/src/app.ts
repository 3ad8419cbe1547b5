/**
 * The resource authorization server (RAS): trusts the enterprise IdP and redeems ID-JAGs (RFC 7523 jwt-bearer
 * grant, ID-JAG §4.4) for RFC 9068 access tokens audience-restricted to one MCP server.
 */

import { createSqliteDpopReplayStore } from '@ema/dpop/sqlite';
import {
  AUTHORIZATION_CODE_AUDIT_TYPE,
  KeyStore,
  type OAuthError,
  REDEMPTION_AUDIT_TYPE,
  REFRESH_TOKEN_AUDIT_TYPE,
  type TokenRefusalContext,
  tokenEndpointDpop,
} from '@ema/oauth-server';
import { tokenEndpoint } from '@ema/oauth-server/fastify';
import {
  drainOnClose,
  healthz,
  hostOriginCheck,
  lazyChildLoggerFactory,
  loggerOptions,
  oauthErrorBoundary,
  trustProxyOption,
} from '@ema/oauth-server/runtime';
import {
  DEFAULT_ALGORITHMS,
  GRANT_TYPE_AUTHORIZATION_CODE,
  GRANT_TYPE_JWT_BEARER,
  GRANT_TYPE_REFRESH_TOKEN,
} from '@ema/protocol';
import type { Database } from '@ema/storage/sqlite';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyInstance } from 'fastify';
import { adminApi } from './admin/admin-api.js';
import { adminPage } from './admin/admin-page.js';
import { syncAdminTokenFile } from './admin/admin-token-file.js';
import { type RasConfig, SSF_PUSH_PATH } from './config.js';
import type { RasContext } from './context.js';
import { rasJwtBearerGrant } from './grants/jwt-bearer.js';
import { interactiveGrants } from './interactive/interactive-grants.js';
import { interactiveRoutes } from './interactive/interactive-routes.js';
import { createInteractiveContext } from './interactive/interactive-setup.js';
import { type TokenClient, tokenClientLookup } from './interactive/token-clients.js';
import { purgeRevocationState } from './revocation/cutoff-purge.js';
import { createRasSignals } from './revocation/ras-signals.js';
import { revocationRoutes } from './revocation/revocation-routes.js';
import { startStreamRegistration } from './revocation/stream-registration.js';
import { CLIENT_AUTH_METHODS, ENDPOINT_PATHS, issuerPath } from './routes/endpoints.js';
import { introspectionRevocationRoutes } from './routes/introspection-revocation.js';
import { jwksRoute } from './routes/jwks.js';
import { metadataRoute } from './routes/metadata.js';
import { openPostgresRasStorage } from './storage/postgres-ras-storage.js';
import { purgeExpired } from './storage/purge.js';
import { openRasStorage } from './storage/ras-storage.js';
import { seedRegistry } from './storage/seed.js';

/** What tests (and embedders) may inject. */
export interface RasDependencies {
  /** Used to fetch the trusted IdPs' JWKS (tests route it to an in-process IdP). */
  fetch?: typeof fetch;
  /** Clock in epoch milliseconds (default `Date.now`). */
  now?: () => number;
  /** Where the pino log lines go (default stdout); tests capture them to prove no secret is ever logged. */
  logStream?: { write(line: string): void };
  /**
   * Called with the app's database connection once it is open: the fault tests cap its size (`PRAGMA
   * max_page_count`) to play a full disk, and raise it again to play space coming back. SQLite only.
   */
  onDatabaseOpen?: (db: Database) => void;
  /** Extra trusted CA certificates (PEM) for Client ID Metadata Documents (tests; production: NODE_EXTRA_CA_CERTS). */
  metadataDocumentCa?: string;
}

// The audit type of the token endpoint's own refusals (client authentication, …), by grant type.
const TOKEN_AUDIT_TYPES: ReadonlyMap<string, string> = new Map([
  [GRANT_TYPE_JWT_BEARER, REDEMPTION_AUDIT_TYPE],
  [GRANT_TYPE_AUTHORIZATION_CODE, AUTHORIZATION_CODE_AUDIT_TYPE],
  [GRANT_TYPE_REFRESH_TOKEN, REFRESH_TOKEN_AUDIT_TYPE],
]);

/** Builds the RAS Fastify app (does not listen). Closing the app closes its database. */
export async function buildApp(config: RasConfig, deps: RasDependencies = {}): Promise<FastifyInstance> {
  const now = deps.now ?? Date.now;
  const logger = loggerOptions({ level: config.logLevel, name: 'authorization-server' });
  const app = Fastify({
    logger: deps.logStream ? { ...logger, stream: deps.logStream } : logger,
    childLoggerFactory: lazyChildLoggerFactory,
    trustProxy: trustProxyOption(config.trustedProxies),
  });
  drainOnClose(app);
  // PostgreSQL when configured (instances share it), else SQLite in the data directory as a lone instance runs.
  const storage =
    config.databaseUrl === undefined
      ? openRasStorage(config.dataDir, deps.onDatabaseOpen)
      : await openPostgresRasStorage({ url: config.databaseUrl, now });
  app.addHook('onClose', async () => storage.close());

  try {
    seedRegistry(storage.registry, config, now());
    syncAdminTokenFile(config);
    // Alone among the instances sharing the database: two booting at once on an empty one must not both make keys.
    const keyStore = await storage.withKeyLock(() =>
      KeyStore.open({
        storage: storage.signingKeys,
        // Retired keys stay published until every access token they signed has expired.
        retentionSeconds: config.accessTokenTtlSeconds + config.clockToleranceSeconds,
        now,
      }),
    );
    // Another instance's rotation: sign with and publish the keys it made current (RAS-PG-KEY-ROTATION).
    storage.followKeyChanges(
      () => void keyStore.refresh().catch((err: unknown) => app.log.error({ err }, 'signing key refresh failed')),
    );
    const signals = createRasSignals({
      db: storage.database,
      issuer: config.issuer,
      registry: storage.registry,
      keyStore,
      audit: storage.audit,
      maxEventAgeSeconds: config.ssfMaxEventAgeSeconds,
      clockToleranceSeconds: config.clockToleranceSeconds,
      retryMaxDelayMs: config.ssfRetryMaxDelayMs,
      maxDeliveryAgeSeconds: config.ssfMaxDeliveryAgeSeconds,
      ...(deps.fetch ? { fetch: deps.fetch } : {}),
      now,
      onError: (err) => app.log.error({ err }, 'Security Event delivery failed'),
    });
    // Stopped before the database closes (hooks run in reverse order of registration).
    app.addHook('onClose', async () => signals.stop());
    for (const resource of config.resources) {
      if (resource.eventsEndpoint === undefined) continue;
      signals.receivers.insertIfAbsent({
        resource: resource.resource,
        endpointUrl: resource.eventsEndpoint,
        updatedAt: now(),
      });
    }
    const ctx: RasContext = { config, storage, keyStore, signals, now };
    schedulePurge(app, ctx);

    const jwtBearer = rasJwtBearerGrant(ctx, {
      ...(deps.fetch ? { fetch: deps.fetch } : {}),
      onUnexpectedError: (err) =>
        app.log.error({ err }, 'ID-JAG acceptance failed unexpectedly (a store or registry fault)'),
    });
    const interactive = createInteractiveContext(ctx, {
      ...(deps.fetch ? { fetch: deps.fetch } : {}),
      ...(deps.metadataDocumentCa === undefined ? {} : { metadataDocumentCa: deps.metadataDocumentCa }),
      onUnexpectedError: (err) =>
        app.log.error({ err }, 'ID-JAG acceptance failed unexpectedly (a store or registry fault)'),
    });

    // First of all: a request naming another host (DNS rebinding) or posted from another origin reaches nothing.
    await app.register(hostOriginCheck, {
      publicUrl: config.issuer,
      allowedHosts: config.allowedHosts,
      allowedOrigins: config.allowedOrigins,
    });
    await app.register(oauthErrorBoundary);
    await app.register(healthz);
    // RFC 8414 §3.1: an issuer with a path serves its endpoints under that path (the admin API stays at the root).
    const prefix = issuerPath(config.issuer);
    await app.register(metadataRoute, { ctx });
    await app.register(jwksRoute, { ctx, prefix });
    await app.register(tokenEndpoint<TokenClient>, {
      prefix,
      path: ENDPOINT_PATHS.token,
      grants: [jwtBearer, ...interactiveGrants(interactive)],
      findClient: tokenClientLookup(storage),
      // Public clients of the interactive path: client_id + PKCE (or their refresh token); never the jwt-bearer grant.
      publicClientGrants: [GRANT_TYPE_AUTHORIZATION_CODE, GRANT_TYPE_REFRESH_TOKEN],
      mayUseGrant: (client, grantType) => client.grantTypes.includes(grantType),
      methods: CLIENT_AUTH_METHODS,
      // RFC 9449 §5: a proof binds the access token (cnf.jkt); an ID-JAG with cnf is redeemed only with one.
      dpop: tokenEndpointDpop<TokenClient>(
        { requiredClients: config.dpopRequiredClients, nonces: config.dpopNonces },
        {
          htu: `${config.issuer}${ENDPOINT_PATHS.token}`,
          algorithms: DEFAULT_ALGORITHMS,
          replay: createSqliteDpopReplayStore(storage.database),
          now,
        },
      ),
      realm: config.issuer,
      rateLimits: {
        perAddress: { max: config.tokenRateLimitPerAddress, windowSeconds: 60 },
        perClient: { max: config.tokenRateLimitPerClient, windowSeconds: 60 },
      },
      onRefusal: (error: OAuthError, refusal: TokenRefusalContext) => {
        // The pipeline's own refusals (client authentication, ...); the grant's were audited with their reason.
        storage.audit.record({
          type:
            (refusal.grantType === undefined ? undefined : TOKEN_AUDIT_TYPES.get(refusal.grantType)) ?? 'token.request',
          outcome: 'deny',
          reason: error.error,
          ...(refusal.clientId !== undefined ? { clientId: refusal.clientId } : {}),
          details: {
            error: error.error,
            ...(refusal.grantType !== undefined ? { grant_type: refusal.grantType.slice(0, 200) } : {}),
          },
        });
      },
    });
    await app.register(introspectionRevocationRoutes, { ctx, prefix });
    await app.register(interactiveRoutes, { interactive, prefix });
    await app.register(revocationRoutes, { ctx });
    registerStreamAtIdp(app, ctx, deps.fetch);
    if (config.adminApiToken !== null) {
      await app.register(adminApi, {
        prefix: '/admin/api',
        ctx,
        adminApiToken: config.adminApiToken,
        rateLimitPerAddress: config.adminRateLimitPerAddress,
      });
      await app.register(adminPage);
    }
    return app.withTypeProvider<TypeBoxTypeProvider>();
  } catch (error) {
    await app.close();
    throw error;
  }
}

/** Keeps this RAS's event stream at its (seeded) trusted IdP, when a Receiver credential for it is configured. */
function registerStreamAtIdp(app: FastifyInstance, ctx: RasContext, fetch: typeof globalThis.fetch | undefined): void {
  const { config } = ctx;
  const idp = config.trustedIdps[0];
  if (idp === undefined) return;
  if (config.ssfTransmitterToken === null) {
    app.log.warn(
      'no RAS_SSF_TRANSMITTER_TOKEN: no event stream at the IdP, so revocations there reach this RAS and its MCP servers only when their tokens expire',
    );
    return;
  }
  const registration = startStreamRegistration({
    issuer: config.issuer,
    transmitter: { issuer: idp.issuer, token: config.ssfTransmitterToken },
    endpointUrl: `${config.issuer}${SSF_PUSH_PATH}`,
    subscriptions: ctx.signals.subscriptions,
    allowInsecureLoopback: config.allowInsecureLoopback,
    ...(fetch ? { fetch } : {}),
    now: ctx.now,
    log: app.log,
  });
  app.addHook('onClose', async () => registration.stop());
}

function schedulePurge(app: FastifyInstance, ctx: RasContext): void {
  const run = () => {
    const purged = purgeExpired(ctx.storage, ctx.now(), ctx.config.clockToleranceSeconds);
    if (purged.consumedJtis + purged.revokedTokens > 0)
      app.log.debug(purged, 'purged expired jti and revocation records');
    const revocation = purgeRevocationState(ctx.signals, ctx.config, ctx.now());
    if (revocation.cutOffs + revocation.receivedEvents + revocation.outbox > 0) {
      app.log.debug(revocation, 'purged revocation cut-offs, received events and delivered events');
    }
  };
  run();
  const timer = setInterval(run, ctx.config.purgeIntervalSeconds * 1000);
  timer.unref();
  app.addHook('onClose', async () => clearInterval(timer));
}
