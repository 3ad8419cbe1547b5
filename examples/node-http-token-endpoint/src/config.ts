/**
 * Configuration of the example token endpoint, read from environment variables in this one place and validated at
 * boot: a bad value fails fast with a `ConfigError` naming the variable.
 */
import {
  ConfigError,
  checkTransportSecurity,
  type Environment,
  INSECURE_LOOPBACK_OPT_OUT,
  readEnvInteger,
  readEnvList,
  readEnvString,
} from '@ema/oauth-server/runtime';
import { DEFAULT_ALGORITHMS, IDP_ONLY_SCOPES } from '@ema/protocol';

/** The validated configuration. */
export interface ExampleConfig {
  host: string;
  port: number;
  /** RFC 8414 issuer identifier of this authorization server: the `aud` every ID-JAG must carry. */
  issuer: string;
  /** The one IdP whose ID-JAGs are accepted (ID-JAG §4.4.1: explicitly configured). */
  trustedIdp: { issuer: string; jwksUri: string; algorithms: readonly string[] };
  /** The one resource (an MCP server, RFC 8707) access tokens are issued for, and the scopes it defines. */
  resource: string;
  scopes: readonly string[];
  /** The one client, authenticated with `client_secret_basic` or `client_secret_post`. */
  client: { clientId: string; secret: string };
  accessTokenTtlSeconds: number;
  /** Upper bound on `exp - iat` of an ID-JAG (the profile's 15 minutes). */
  maxIdJagLifetimeSeconds: number;
  clockToleranceSeconds: number;
  /** `EMA_DEV_ALLOW_INSECURE_LOOPBACK=1`: plain http for loopback hosts, for development only. */
  allowInsecureLoopback: boolean;
}

/** Where each endpoint lives, relative to the issuer. */
export const ENDPOINT_PATHS = { token: '/token', jwks: '/jwks' } as const;

const DEFAULT_PORT = 3400;

/** Reads and validates the configuration from `env` (pass `process.env`). */
export function loadConfig(env: Environment): ExampleConfig {
  const allowInsecureLoopback = env[INSECURE_LOOPBACK_OPT_OUT] === '1';
  const port = readEnvInteger(env, 'TOKEN_ENDPOINT_PORT') ?? DEFAULT_PORT;
  if (port > 65535) throw new ConfigError('TOKEN_ENDPOINT_PORT: must be at most 65535');
  const issuer = readEnvString(env, 'TOKEN_ENDPOINT_ISSUER') ?? `http://localhost:${port}`;
  const idpIssuer = readEnvString(env, 'TOKEN_ENDPOINT_IDP_ISSUER') ?? 'http://localhost:3100';
  // This repository's IdP publishes its keys at <issuer>/jwks (the jwks_uri of its discovery document).
  const jwksUri = readEnvString(env, 'TOKEN_ENDPOINT_IDP_JWKS_URI') ?? `${idpIssuer}/jwks`;
  const resource = readEnvString(env, 'TOKEN_ENDPOINT_RESOURCE') ?? 'http://localhost:3300/mcp';
  const scopes = readEnvList(env, 'TOKEN_ENDPOINT_SCOPES') ?? ['tickets.read', 'tickets.write'];
  const secret = readEnvString(env, 'TOKEN_ENDPOINT_CLIENT_SECRET');

  const transport = { allowInsecureLoopback };
  issuerIdentifier(issuer, 'TOKEN_ENDPOINT_ISSUER');
  checkTransportSecurity(issuer, 'TOKEN_ENDPOINT_ISSUER', transport);
  issuerIdentifier(idpIssuer, 'TOKEN_ENDPOINT_IDP_ISSUER');
  checkTransportSecurity(idpIssuer, 'TOKEN_ENDPOINT_IDP_ISSUER', transport);
  checkTransportSecurity(jwksUri, 'TOKEN_ENDPOINT_IDP_JWKS_URI', transport);
  // ID-JAG §4.4.1: an authorization server never accepts assertions claiming to come from itself.
  if (idpIssuer === issuer) throw new ConfigError('TOKEN_ENDPOINT_IDP_ISSUER: must not be this issuer');
  if (!URL.canParse(resource) || new URL(resource).hash !== '') {
    throw new ConfigError('TOKEN_ENDPOINT_RESOURCE: must be an absolute URL without a fragment (RFC 8707 §2)');
  }
  for (const scope of scopes) {
    // EMA §7: the IdP's sign-in scopes never pass to a resource.
    if (IDP_ONLY_SCOPES.includes(scope)) throw new ConfigError(`TOKEN_ENDPOINT_SCOPES: ${scope} belongs to the IdP`);
  }
  if (scopes.length === 0) throw new ConfigError('TOKEN_ENDPOINT_SCOPES: must not be empty');
  // The secret is configuration, not a default: a client secret in the source would be everyone's.
  if (secret === undefined || secret.length < 16) {
    throw new ConfigError('TOKEN_ENDPOINT_CLIENT_SECRET: must be set, at least 16 characters');
  }

  return {
    host: readEnvString(env, 'TOKEN_ENDPOINT_HOST') ?? 'localhost',
    port,
    issuer,
    trustedIdp: { issuer: idpIssuer, jwksUri, algorithms: DEFAULT_ALGORITHMS },
    resource,
    scopes,
    client: { clientId: readEnvString(env, 'TOKEN_ENDPOINT_CLIENT_ID') ?? 'acme-agent-host', secret },
    accessTokenTtlSeconds: 300,
    maxIdJagLifetimeSeconds: 900,
    clockToleranceSeconds: 30,
    allowInsecureLoopback,
  };
}

function issuerIdentifier(value: string, name: string): void {
  if (!URL.canParse(value)) throw new ConfigError(`${name}: must be a URL`);
  const url = new URL(value);
  // RFC 8414 §2: an issuer has no query or fragment; written without a trailing slash (compared exactly).
  if (url.search !== '' || url.hash !== '') throw new ConfigError(`${name}: must not have a query or fragment`);
  if (value.endsWith('/')) throw new ConfigError(`${name}: must not end with a slash`);
}
