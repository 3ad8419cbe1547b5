/**
 * The only place that reads `process.env`: turns the RAS_* environment variables into configuration overrides.
 * Anything unset falls back to the documented defaults of `config.ts`.
 */
import {
  type Environment,
  INSECURE_LOOPBACK_OPT_OUT,
  readEnvBoolean,
  readEnvInteger,
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
    logLevel: readEnvString(env, 'RAS_LOG_LEVEL'),
    accessTokenTtlSeconds: readEnvInteger(env, 'RAS_ACCESS_TOKEN_TTL_SECONDS'),
    maxIdJagLifetimeSeconds: readEnvInteger(env, 'RAS_MAX_ID_JAG_LIFETIME_SECONDS'),
    clockToleranceSeconds: readEnvInteger(env, 'RAS_CLOCK_TOLERANCE_SECONDS'),
    purgeIntervalSeconds: readEnvInteger(env, 'RAS_PURGE_INTERVAL_SECONDS'),
    jitProvisioning: readEnvBoolean(env, 'RAS_JIT_PROVISIONING'),
    adminApiToken: readEnvString(env, 'RAS_ADMIN_API_TOKEN'),
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
  const demoResource = readEnvString(env, 'RAS_DEMO_MCP_RESOURCE');
  const demoEvents = readEnvString(env, 'RAS_DEMO_MCP_EVENTS_ENDPOINT');
  if (demoResource !== undefined || demoEvents !== undefined) {
    Object.assign(input, demoRegistry(demoResource ?? defaultConfig.resources[0]?.resource ?? '', demoEvents));
  }
  return input;
}
