/**
 * Configuration of the example MCP server "Team Notes": documented defaults, validated at start-up. A bad value
 * stops the server with the name of the option.
 */
import { DEFAULT_ALGORITHMS } from '@ema/protocol';

/** The validated configuration. */
export interface NotesServerConfig {
  port: number;
  host: string;
  /** RFC 8707 resource identifier: the exact `aud` of every accepted token, and the URL of the MCP endpoint. */
  resource: string;
  /** The RAS issuer: the only `iss` accepted, listed in the protected resource metadata. */
  authorizationServer: string;
  /** Where the RAS publishes its signing keys (this repository's RAS: `<issuer>/jwks.json`). */
  rasJwksUri: string;
  /** The `alg` allow-list of access tokens (RFC 8725 §3.1). */
  algorithms: readonly string[];
  /** The named development opt-out (`EMA_DEV_ALLOW_INSECURE_LOOPBACK=1`): `http://` on loopback hosts only. */
  allowInsecureLoopback: boolean;
}

/** Overrides (from `env.ts` or a test); `undefined` keeps the default. */
export type NotesServerConfigInput = { [K in keyof NotesServerConfig]?: NotesServerConfig[K] | undefined };

/** A configuration value that cannot be used; the message starts with the option's name. */
export class ConfigError extends Error {
  static readonly code = 'ERR_CONFIG';
  readonly code = ConfigError.code;
  override readonly name = 'ConfigError';
}

const DEMO_RAS = 'http://localhost:3200';

/** Defaults: next to the demo world of this repository (its RAS at :3200), on port 3400. */
export const defaultConfig: NotesServerConfig = {
  port: 3400,
  host: 'localhost',
  resource: 'http://localhost:3400/mcp',
  authorizationServer: DEMO_RAS,
  rasJwksUri: `${DEMO_RAS}/jwks.json`,
  algorithms: DEFAULT_ALGORITHMS,
  allowInsecureLoopback: false,
};

/**
 * Merges overrides onto the defaults and validates the result; the JWKS location follows the authorization server
 * unless set.
 *
 * @throws ConfigError naming the offending option.
 */
export function resolveConfig(input: NotesServerConfigInput = {}): NotesServerConfig {
  const given = Object.fromEntries(Object.entries(input).filter(([, value]) => value !== undefined));
  const merged: NotesServerConfig = { ...defaultConfig, ...given };
  const config = { ...merged, rasJwksUri: input.rasJwksUri ?? `${merged.authorizationServer}/jwks.json` };
  if (!Number.isInteger(config.port) || config.port < 0 || config.port > 65535) {
    throw new ConfigError('port: must be an integer between 0 and 65535');
  }
  if (!config.host) throw new ConfigError('host: must not be empty');
  const resource = secureUrl(config.resource, 'resource', config.allowInsecureLoopback);
  // RFC 8707 §2: no fragment; RFC 9728 §3.1 inserts the well-known segment before the path, so no query either.
  if (resource.search || resource.hash || config.resource.includes('#') || config.resource.includes('?')) {
    throw new ConfigError('resource: must not carry a query or fragment');
  }
  if (resource.pathname === '/' || resource.pathname.endsWith('/')) {
    throw new ConfigError('resource: must name the MCP endpoint path without a trailing slash (e.g. /mcp)');
  }
  if (resource.href !== config.resource)
    throw new ConfigError(`resource: must be in canonical form (${resource.href})`);
  secureUrl(config.authorizationServer, 'authorizationServer', config.allowInsecureLoopback);
  secureUrl(config.rasJwksUri, 'rasJwksUri', config.allowInsecureLoopback);
  if (config.algorithms.length === 0 || config.algorithms.some((alg) => alg === 'none' || alg.startsWith('HS'))) {
    throw new ConfigError('algorithms: must list asymmetric algorithms only');
  }
  return config;
}

/** Whether `hostname` is a loopback host (RFC 6761 §6.3 `localhost`, 127.0.0.0/8, `[::1]`). */
export function isLoopbackHost(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127(?:\.\d{1,3}){3}$/.test(hostname);
}

// The profile's transport security: https everywhere; http only on loopback, and only with the named opt-out.
function secureUrl(value: string, option: string, allowInsecureLoopback: boolean): URL {
  if (!URL.canParse(value)) throw new ConfigError(`${option}: must be an absolute URL`);
  const url = new URL(value);
  if (url.protocol === 'https:') return url;
  if (url.protocol !== 'http:' || !isLoopbackHost(url.hostname)) {
    throw new ConfigError(`${option}: must use https (http is loopback-only)`);
  }
  if (!allowInsecureLoopback) {
    throw new ConfigError(`${option}: http is allowed only for loopback hosts with EMA_DEV_ALLOW_INSECURE_LOOPBACK=1`);
  }
  return url;
}
