/**
 * The resource authorization server (RAS): trusts the enterprise IdP and redeems ID-JAGs (RFC 7523 jwt-bearer
 * grant, ID-JAG §4.4) for RFC 9068 access tokens audience-restricted to one MCP server.
 */
import { KeyStore, type OAuthError, REDEMPTION_AUDIT_TYPE, type TokenRefusalContext } from '@ema/oauth-server';
import { tokenEndpoint } from '@ema/oauth-server/fastify';
import { healthz, lazyChildLoggerFactory, loggerOptions, oauthErrorBoundary } from '@ema/oauth-server/runtime';
import { GRANT_TYPE_JWT_BEARER } from '@ema/protocol';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyInstance } from 'fastify';
import { adminApi } from './admin/admin-api.js';
import { adminPage } from './admin/admin-page.js';
import { type RasConfig, SSF_PUSH_PATH } from './config.js';
import type { RasContext } from './context.js';
import { rasJwtBearerGrant } from './grants/jwt-bearer.js';
import { purgeRevocationState } from './revocation/cutoff-purge.js';
import { createRasSignals } from './revocation/ras-signals.js';
import { revocationRoutes } from './revocation/revocation-routes.js';
import { startStreamRegistration } from './revocation/stream-registration.js';
import { CLIENT_AUTH_METHODS, ENDPOINT_PATHS } from './routes/endpoints.js';
import { introspectionRevocationRoutes } from './routes/introspection-revocation.js';
import { jwksRoute } from './routes/jwks.js';
import { metadataRoute } from './routes/metadata.js';
import { purgeExpired } from './storage/purge.js';
import { openRasStorage } from './storage/ras-storage.js';
import type { RasClient } from './storage/registry.js';
import { seedRegistry } from './storage/seed.js';

/** What tests (and embedders) may inject. */
export interface RasDependencies {
  /** Used to fetch the trusted IdPs' JWKS (tests route it to an in-process IdP). */
  fetch?: typeof fetch;
  /** Clock in epoch milliseconds (default `Date.now`). */
  now?: () => number;
  /** Where the pino log lines go (default stdout); tests capture them to prove no secret is ever logged. */
  logStream?: { write(line: string): void };
}

/** Builds the RAS Fastify app (does not listen). Closing the app closes its database. */
export async function buildApp(config: RasConfig, deps: RasDependencies = {}): Promise<FastifyInstance> {
  const now = deps.now ?? Date.now;
  const logger = loggerOptions({ level: config.logLevel, name: 'authorization-server' });
  const app = Fastify({
    logger: deps.logStream ? { ...logger, stream: deps.logStream } : logger,
    childLoggerFactory: lazyChildLoggerFactory,
  });
  const storage = openRasStorage(config.dataDir);
  app.addHook('onClose', async () => storage.close());

  try {
    seedRegistry(storage.registry, config, now());
    const keyStore = await KeyStore.open({
      storage: storage.signingKeys,
      // Retired keys stay published until every access token they signed has expired.
      retentionSeconds: config.accessTokenTtlSeconds + config.clockToleranceSeconds,
      now,
    });
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
      onUnexpectedError: (err) => app.log.error({ err }, 'ID-JAG verification failed unexpectedly'),
    });

    await app.register(oauthErrorBoundary);
    await app.register(healthz);
    await app.register(metadataRoute, { ctx });
    await app.register(jwksRoute, { ctx });
    await app.register(tokenEndpoint<RasClient>, {
      path: ENDPOINT_PATHS.token,
      grants: [jwtBearer],
      findClient: (clientId) => storage.registry.findClient(clientId),
      methods: CLIENT_AUTH_METHODS,
      realm: config.issuer,
      onRefusal: (error: OAuthError, refusal: TokenRefusalContext) => {
        // The pipeline's own refusals (client authentication, ...); the grant's were audited with their reason.
        storage.audit.record({
          type: refusal.grantType === GRANT_TYPE_JWT_BEARER ? REDEMPTION_AUDIT_TYPE : 'token.request',
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
    await app.register(introspectionRevocationRoutes, { ctx });
    await app.register(revocationRoutes, { ctx });
    registerStreamAtIdp(app, ctx, deps.fetch);
    if (config.adminApiToken !== null) {
      await app.register(adminApi, { prefix: '/admin/api', ctx, adminApiToken: config.adminApiToken });
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
  if (config.ssfTransmitterToken === null || idp === undefined) return;
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
