/**
 * The only place that reads `process.env`: turns the MCP_* environment variables into configuration overrides.
 * Anything unset falls back to the documented defaults of `config.ts`.
 */
import { ConfigError, INSECURE_LOOPBACK_OPT_OUT } from '@ema/oauth-server';
import type { McpServerConfigInput } from './config.js';

type Env = Readonly<Record<string, string | undefined>>;

/** Reads the MCP server configuration overrides from the environment. */
export function configFromEnv(env: Env = process.env): McpServerConfigInput {
  return {
    port: int(env, 'MCP_PORT'),
    host: str(env, 'MCP_HOST'),
    resource: str(env, 'MCP_RESOURCE'),
    resourceName: str(env, 'MCP_RESOURCE_NAME'),
    authorizationServer: str(env, 'MCP_AUTHORIZATION_SERVER'),
    rasJwksUri: str(env, 'MCP_RAS_JWKS_URI'),
    algorithms: list(env, 'MCP_ALGORITHMS'),
    clockToleranceSeconds: int(env, 'MCP_CLOCK_TOLERANCE_SECONDS'),
    dataDir: str(env, 'MCP_DATA_DIR'),
    logLevel: str(env, 'MCP_LOG_LEVEL'),
    allowedHosts: list(env, 'MCP_ALLOWED_HOSTS'),
    allowedOrigins: list(env, 'MCP_ALLOWED_ORIGINS'),
    maxSessions: int(env, 'MCP_MAX_SESSIONS'),
    sessionIdleTimeoutSeconds: int(env, 'MCP_SESSION_IDLE_TIMEOUT_SECONDS'),
    allowInsecureLoopback: env[INSECURE_LOOPBACK_OPT_OUT] === '1',
  };
}

function str(env: Env, name: string): string | undefined {
  const value = env[name];
  return value === undefined || value === '' ? undefined : value;
}

function int(env: Env, name: string): number | undefined {
  const value = str(env, name);
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw new ConfigError(`${name}: must be a non-negative integer`);
  return Number(value);
}

/** A comma- or space-separated list. */
function list(env: Env, name: string): string[] | undefined {
  const value = str(env, name);
  if (value === undefined) return undefined;
  return value.split(/[\s,]+/).filter((item) => item.length > 0);
}
