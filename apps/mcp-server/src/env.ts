/**
 * The only place that reads `process.env`: turns the MCP_* environment variables into configuration overrides.
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
import { type McpServerConfigInput, parseToolAuthentication } from './config.js';

/** Reads the MCP server configuration overrides from the environment. */
export function configFromEnv(env: Environment = process.env): McpServerConfigInput {
  return {
    port: readEnvInteger(env, 'MCP_PORT'),
    host: readEnvString(env, 'MCP_HOST'),
    resource: readEnvString(env, 'MCP_RESOURCE'),
    resourceName: readEnvString(env, 'MCP_RESOURCE_NAME'),
    authorizationServer: readEnvString(env, 'MCP_AUTHORIZATION_SERVER'),
    rasJwksUri: readEnvString(env, 'MCP_RAS_JWKS_URI'),
    rasJwksStaleIfErrorSeconds: readEnvInteger(env, 'MCP_RAS_JWKS_STALE_IF_ERROR_SECONDS'),
    algorithms: readEnvList(env, 'MCP_ALGORITHMS'),
    clockToleranceSeconds: readEnvInteger(env, 'MCP_CLOCK_TOLERANCE_SECONDS'),
    dpopRequired: readEnvBoolean(env, 'MCP_DPOP_REQUIRED'),
    dpopNonces: readEnvBoolean(env, 'MCP_DPOP_NONCES'),
    dataDir: readEnvString(env, 'MCP_DATA_DIR'),
    databaseUrl: readEnvString(env, 'MCP_DATABASE_URL'),
    logLevel: readEnvString(env, 'MCP_LOG_LEVEL'),
    allowedHosts: readEnvList(env, 'MCP_ALLOWED_HOSTS'),
    allowedOrigins: readEnvList(env, 'MCP_ALLOWED_ORIGINS'),
    trustedProxies: readEnvList(env, 'MCP_TRUSTED_PROXIES'),
    maxSessions: readEnvInteger(env, 'MCP_MAX_SESSIONS'),
    maxSessionsPerSubject: readEnvInteger(env, 'MCP_MAX_SESSIONS_PER_SUBJECT'),
    maxSessionsPerClient: readEnvInteger(env, 'MCP_MAX_SESSIONS_PER_CLIENT'),
    sessionIdleTimeoutSeconds: readEnvInteger(env, 'MCP_SESSION_IDLE_TIMEOUT_SECONDS'),
    rateLimitPerAddress: readEnvInteger(env, 'MCP_RATE_LIMIT_PER_ADDRESS'),
    rateLimitPerSubject: readEnvInteger(env, 'MCP_RATE_LIMIT_PER_SUBJECT'),
    ssfMaxEventAgeSeconds: readEnvInteger(env, 'MCP_SSF_MAX_EVENT_AGE_SECONDS'),
    revocationRetentionSeconds: readEnvInteger(env, 'MCP_REVOCATION_RETENTION_SECONDS'),
    allowInsecureLoopback: env[INSECURE_LOOPBACK_OPT_OUT] === '1',
    toolAuthentication:
      env.MCP_TOOL_AUTHENTICATION === undefined ? undefined : parseToolAuthentication(env.MCP_TOOL_AUTHENTICATION),
  };
}
