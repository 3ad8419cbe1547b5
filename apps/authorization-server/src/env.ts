/**
 * The only place that reads `process.env`: turns the RAS_* environment variables into configuration overrides.
 * Anything unset falls back to the documented defaults of `config.ts`.
 */
import { ConfigError, INSECURE_LOOPBACK_OPT_OUT } from '@ema/oauth-server';
import { DEFAULT_ALGORITHMS, parseScope } from '@ema/protocol';
import { DEFAULT_IDP_JWKS_PATH, defaultConfig, demoRegistry, type RasConfigInput } from './config.js';

type Env = Readonly<Record<string, string | undefined>>;

/** Reads the RAS configuration overrides from the environment. */
export function configFromEnv(env: Env = process.env): RasConfigInput {
  const input: RasConfigInput = {
    port: int(env, 'RAS_PORT'),
    host: str(env, 'RAS_HOST'),
    issuer: str(env, 'RAS_ISSUER'),
    dataDir: str(env, 'RAS_DATA_DIR'),
    logLevel: str(env, 'RAS_LOG_LEVEL'),
    accessTokenTtlSeconds: int(env, 'RAS_ACCESS_TOKEN_TTL_SECONDS'),
    maxIdJagLifetimeSeconds: int(env, 'RAS_MAX_ID_JAG_LIFETIME_SECONDS'),
    clockToleranceSeconds: int(env, 'RAS_CLOCK_TOLERANCE_SECONDS'),
    purgeIntervalSeconds: int(env, 'RAS_PURGE_INTERVAL_SECONDS'),
    jitProvisioning: bool(env, 'RAS_JIT_PROVISIONING'),
    adminApiToken: str(env, 'RAS_ADMIN_API_TOKEN'),
    allowInsecureLoopback: env[INSECURE_LOOPBACK_OPT_OUT] === '1',
  };
  const idpIssuer = str(env, 'RAS_TRUSTED_IDP_ISSUER');
  const idpJwksUri = str(env, 'RAS_TRUSTED_IDP_JWKS_URI');
  const idpAlgorithms = str(env, 'RAS_TRUSTED_IDP_ALGORITHMS');
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
  const demoResource = str(env, 'RAS_DEMO_MCP_RESOURCE');
  if (demoResource !== undefined) Object.assign(input, demoRegistry(demoResource));
  return input;
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

function bool(env: Env, name: string): boolean | undefined {
  const value = str(env, name);
  if (value === undefined) return undefined;
  if (value === 'true' || value === '1') return true;
  if (value === 'false' || value === '0') return false;
  throw new ConfigError(`${name}: must be true or false`);
}
