/**
 * The only place that reads `process.env`: turns the RAS_* environment variables into configuration overrides.
 * Anything unset falls back to the documented defaults of `config.ts`.
 */
import {
  type Environment,
  INSECURE_LOOPBACK_OPT_OUT,
  readEnvBoolean,
  readEnvInteger,
  readEnvList,
  readEnvString,
} from '@ema/oauth-server/runtime';
import { DEFAULT_ALGORITHMS, parseScope } from '@ema/protocol';
import { DEFAULT_IDP_JWKS_PATH, defaultConfig, demoRegistry, type RasConfigInput } from './config.js';

/** Reads the RAS configuration overrides from the environment. */
export function configFromEnv(env: Environment = process.env): RasConfigInput {
  const input: RasConfigInput = {
    port: readEnvInteger(env, 'RAS_PORT'),
    host: readEnvString(env, 'RAS_HOST'),
    issuer: readEnvString(env, 'RAS_ISSUER'),
    dataDir: readEnvString(env, 'RAS_DATA_DIR'),
    databaseUrl: readEnvString(env, 'RAS_DATABASE_URL'),
    logLevel: readEnvString(env, 'RAS_LOG_LEVEL'),
    accessTokenTtlSeconds: readEnvInteger(env, 'RAS_ACCESS_TOKEN_TTL_SECONDS'),
    maxIdJagLifetimeSeconds: readEnvInteger(env, 'RAS_MAX_ID_JAG_LIFETIME_SECONDS'),
    clockToleranceSeconds: readEnvInteger(env, 'RAS_CLOCK_TOLERANCE_SECONDS'),
    purgeIntervalSeconds: readEnvInteger(env, 'RAS_PURGE_INTERVAL_SECONDS'),
    jwksStaleIfErrorSeconds: readEnvInteger(env, 'RAS_JWKS_STALE_IF_ERROR_SECONDS'),
    jitProvisioning: readEnvBoolean(env, 'RAS_JIT_PROVISIONING'),
    adminApiToken: readEnvString(env, 'RAS_ADMIN_API_TOKEN'),
    tokenRateLimitPerAddress: readEnvInteger(env, 'RAS_TOKEN_RATE_LIMIT_PER_ADDRESS'),
    tokenRateLimitPerClient: readEnvInteger(env, 'RAS_TOKEN_RATE_LIMIT_PER_CLIENT'),
    adminRateLimitPerAddress: readEnvInteger(env, 'RAS_ADMIN_RATE_LIMIT_PER_ADDRESS'),
    allowedHosts: readEnvList(env, 'RAS_ALLOWED_HOSTS'),
    allowedOrigins: readEnvList(env, 'RAS_ALLOWED_ORIGINS'),
    trustedProxies: readEnvList(env, 'RAS_TRUSTED_PROXIES'),
    dpopRequiredClients: readEnvList(env, 'RAS_DPOP_REQUIRED_CLIENTS'),
    dpopNonces: readEnvBoolean(env, 'RAS_DPOP_NONCES'),
    ssfTransmitterToken: readEnvString(env, 'RAS_SSF_TRANSMITTER_TOKEN'),
    ssfMaxEventAgeSeconds: readEnvInteger(env, 'RAS_SSF_MAX_EVENT_AGE_SECONDS'),
    ssfRetryMaxDelayMs: readEnvInteger(env, 'RAS_SSF_RETRY_MAX_DELAY_MS'),
    ssfMaxDeliveryAgeSeconds: readEnvInteger(env, 'RAS_SSF_MAX_DELIVERY_AGE_SECONDS'),
    allowInsecureLoopback: env[INSECURE_LOOPBACK_OPT_OUT] === '1',
  };
  const idpIssuer = readEnvString(env, 'RAS_TRUSTED_IDP_ISSUER');
  const idpJwksUri = readEnvString(env, 'RAS_TRUSTED_IDP_JWKS_URI');
  const idpAlgorithms = readEnvString(env, 'RAS_TRUSTED_IDP_ALGORITHMS');
  if (idpIssuer !== undefined || idpJwksUri !== undefined || idpAlgorithms !== undefined) {
    const issuer = idpIssuer ?? defaultConfig.trustedIdps[0]?.issuer ?? '';
    input.trustedIdps = [
      {
        issuer,
        jwksUri: idpJwksUri ?? `${issuer}${DEFAULT_IDP_JWKS_PATH}`,
        algorithms: idpAlgorithms === undefined ? DEFAULT_ALGORITHMS : parseScope(idpAlgorithms.replaceAll(',', ' ')),
      },
    ];
  }
  const defaultScopes = readEnvString(env, 'RAS_DEFAULT_SCOPES');
  input.interactive = {
    signIn: {
      issuer: readEnvString(env, 'RAS_SIGN_IN_IDP_ISSUER'),
      clientId: readEnvString(env, 'RAS_SIGN_IN_CLIENT_ID'),
      clientSecret: readEnvString(env, 'RAS_SIGN_IN_CLIENT_SECRET'),
    },
    authorizationCodeTtlSeconds: readEnvInteger(env, 'RAS_AUTHORIZATION_CODE_TTL_SECONDS'),
    refreshTokenTtlSeconds: readEnvInteger(env, 'RAS_REFRESH_TOKEN_TTL_SECONDS'),
    dynamicClientRegistration: readEnvBoolean(env, 'RAS_DYNAMIC_CLIENT_REGISTRATION'),
    clientIdMetadataDocuments: { enabled: readEnvBoolean(env, 'RAS_CLIENT_ID_METADATA_DOCUMENTS') },
    defaultScopes: defaultScopes === undefined ? undefined : parseScope(defaultScopes),
  };
  const demoResource = readEnvString(env, 'RAS_DEMO_MCP_RESOURCE');
  const demoEvents = readEnvString(env, 'RAS_DEMO_MCP_EVENTS_ENDPOINT');
  if (demoResource !== undefined || demoEvents !== undefined) {
    Object.assign(input, demoRegistry(demoResource ?? defaultConfig.resources[0]?.resource ?? '', demoEvents));
  }
  return input;
}
