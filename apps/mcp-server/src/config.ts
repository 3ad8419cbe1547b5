/**
 * Configuration of the MCP server "Acme Tickets": one object with documented defaults (the demo world of DEMO.md),
 * validated at boot. Validation fails fast with the path of the bad option.
 */
import { ConfigError, checkTransportSecurity } from '@ema/oauth-server/runtime';
import { ACR_MULTI_FACTOR, DEFAULT_ALGORITHMS } from '@ema/protocol';
import type { ToolAuthentication } from '@ema/resource-server';
import { resolveDataDir } from '@ema/storage';
import { TOOL_NAMES } from './tools/tool-scopes.js';

/** The validated configuration of the MCP server. */
export interface McpServerConfig {
  port: number;
  host: string;
  /**
   * RFC 8707 / RFC 9728 §2 resource identifier of this MCP server: the `aud` every access token must carry. Its path
   * is where the Streamable HTTP endpoint is served (`/mcp`).
   */
  resource: string;
  /** RFC 9728 §2 `resource_name`, shown to people. */
  resourceName: string;
  /** The resource authorization server's issuer identifier: the only `iss` accepted, listed in the PRM. */
  authorizationServer: string;
  /** Where the RAS publishes its JWKS (the RAS serves it at `<issuer>/jwks.json` and lists it as `jwks_uri`). */
  rasJwksUri: string;
  /** Asymmetric algorithms accepted on access tokens (RFC 8725 §3.1: always an explicit allow-list). */
  algorithms: readonly string[];
  clockToleranceSeconds: number;
  dataDir: string;
  logLevel: string;
  /**
   * `Host` header values accepted on the MCP endpoint (DNS-rebinding protection). `null`: the host of the resource
   * identifier plus `localhost`, `127.0.0.1` and `[::1]` at the port the server actually listens on.
   */
  allowedHosts: readonly string[] | null;
  /**
   * `Origin` header values accepted on the MCP endpoint (requests without `Origin` are not browser requests and pass).
   * `null`: the origin of the resource identifier plus `http://localhost` and `http://127.0.0.1` at the listening port.
   */
  allowedOrigins: readonly string[] | null;
  /** Upper bound on live MCP sessions held in memory; the least recently used one is evicted beyond it. */
  maxSessions: number;
  /** A session unused for this long is closed. */
  sessionIdleTimeoutSeconds: number;
  /** The named development opt-out: allows http:// on loopback hosts only. */
  allowInsecureLoopback: boolean;
  /**
   * What each tool requires of the user's sign-in behind the token (RFC 9470): acceptable `acr` values and a maximum
   * age. A call that does not meet it is answered `401 insufficient_user_authentication`. Default (the demo world):
   * `create_ticket` and `update_ticket` need `urn:ema:acr:mfa`, a sign-in with a passkey.
   */
  toolAuthentication: ToolAuthentication;
}

/** What `env.ts` (or a test) may override; `undefined` means "keep the default". */
export type McpServerConfigInput = { [K in keyof McpServerConfig]?: McpServerConfig[K] | undefined };

const DEMO_RAS = 'http://localhost:3200';

/** Defaults: the demo world of DEMO.md. */
export const defaultConfig: McpServerConfig = {
  port: 3300,
  host: 'localhost',
  resource: 'http://localhost:3300/mcp',
  resourceName: 'Acme Tickets',
  authorizationServer: DEMO_RAS,
  rasJwksUri: `${DEMO_RAS}/jwks.json`,
  algorithms: DEFAULT_ALGORITHMS,
  clockToleranceSeconds: 30,
  dataDir: '',
  logLevel: 'info',
  allowedHosts: null,
  allowedOrigins: null,
  maxSessions: 1000,
  sessionIdleTimeoutSeconds: 1800,
  allowInsecureLoopback: false,
  toolAuthentication: {
    create_ticket: { acrValues: [ACR_MULTI_FACTOR] },
    update_ticket: { acrValues: [ACR_MULTI_FACTOR] },
  },
};

/**
 * Merges overrides onto the defaults and validates the result. When only `authorizationServer` is overridden, the
 * JWKS location follows it (`<issuer>/jwks.json`).
 *
 * @throws ConfigError naming the offending option path.
 */
export function resolveConfig(input: McpServerConfigInput = {}): McpServerConfig {
  const overrides = stripUndefined(input);
  const merged: McpServerConfig = { ...defaultConfig, ...overrides };
  const config: McpServerConfig = {
    ...merged,
    rasJwksUri: overrides.rasJwksUri ?? `${merged.authorizationServer}/jwks.json`,
    dataDir: resolveDataDir('mcp-server', merged.dataDir || undefined),
  };
  validateConfig(config);
  return config;
}

function stripUndefined(input: McpServerConfigInput): Partial<McpServerConfig> {
  return Object.fromEntries(
    Object.entries(input).filter(([, value]) => value !== undefined),
  ) as Partial<McpServerConfig>;
}

function validateConfig(config: McpServerConfig): void {
  const transport = { allowInsecureLoopback: config.allowInsecureLoopback };
  integer(config.port, 'port', 0, 65535);
  integer(config.clockToleranceSeconds, 'clockToleranceSeconds', 0, 300);
  integer(config.maxSessions, 'maxSessions', 1, 1_000_000);
  integer(config.sessionIdleTimeoutSeconds, 'sessionIdleTimeoutSeconds', 1, 86_400);
  if (!config.host) throw new ConfigError('host: must not be empty');
  if (!config.resourceName) throw new ConfigError('resourceName: must not be empty');
  resourceIdentifier(config.resource, 'resource');
  absoluteUrl(config.authorizationServer, 'authorizationServer');
  absoluteUrl(config.rasJwksUri, 'rasJwksUri');
  checkTransportSecurity(config.resource, 'resource', transport);
  checkTransportSecurity(config.authorizationServer, 'authorizationServer', transport);
  checkTransportSecurity(config.rasJwksUri, 'rasJwksUri', transport);
  if (config.algorithms.length === 0) throw new ConfigError('algorithms: must list at least one algorithm');
  config.algorithms.forEach((alg, index) => {
    // RFC 8725 §3.1: never `none`, never a symmetric algorithm on tokens from another party.
    if (alg === 'none' || alg.startsWith('HS')) throw new ConfigError(`algorithms[${index}]: must be asymmetric`);
  });
  checkToolAuthentication(config.toolAuthentication);
  config.allowedHosts?.forEach((host, index) => {
    if (!/^[a-z0-9.\-[\]:]+$/i.test(host)) throw new ConfigError(`allowedHosts[${index}]: must be host[:port]`);
  });
  config.allowedOrigins?.forEach((origin, index) => {
    absoluteUrl(origin, `allowedOrigins[${index}]`);
    if (new URL(origin).origin !== origin) {
      throw new ConfigError(`allowedOrigins[${index}]: must be an origin (scheme://host[:port], no path)`);
    }
  });
}

/**
 * Reads `MCP_TOOL_AUTHENTICATION`: JSON `{ "<tool>": { "acrValues": ["<acr>", ...], "maxAgeSeconds": <n> } }`
 * (`{}` requires nothing). Checked again with the rest of the configuration.
 *
 * @throws ConfigError when it is not a JSON object.
 */
export function parseToolAuthentication(json: string): ToolAuthentication {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    throw new ConfigError('toolAuthentication: must be JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ConfigError('toolAuthentication: must be a JSON object of tool name -> requirement');
  }
  const requirements: Record<string, { acrValues?: string[]; maxAgeSeconds?: number }> = {};
  for (const [tool, value] of Object.entries(parsed)) {
    if (typeof value !== 'object' || value === null)
      throw new ConfigError(`toolAuthentication.${tool}: must be an object`);
    const { acrValues, maxAgeSeconds } = value as { acrValues?: unknown; maxAgeSeconds?: unknown };
    if (acrValues !== undefined && !(Array.isArray(acrValues) && acrValues.every((item) => typeof item === 'string'))) {
      throw new ConfigError(`toolAuthentication.${tool}.acrValues: must be a list of strings`);
    }
    if (maxAgeSeconds !== undefined && typeof maxAgeSeconds !== 'number') {
      throw new ConfigError(`toolAuthentication.${tool}.maxAgeSeconds: must be a number`);
    }
    requirements[tool] = {
      ...(acrValues === undefined ? {} : { acrValues }),
      ...(maxAgeSeconds === undefined ? {} : { maxAgeSeconds }),
    };
  }
  return requirements;
}

function checkToolAuthentication(toolAuthentication: ToolAuthentication): void {
  for (const [tool, requirement] of Object.entries(toolAuthentication)) {
    const path = `toolAuthentication.${tool}`;
    if (!(TOOL_NAMES as readonly string[]).includes(tool)) throw new ConfigError(`${path}: no such tool`);
    if (
      requirement.acrValues !== undefined &&
      (requirement.acrValues.length === 0 || requirement.acrValues.some((acr) => acr === ''))
    ) {
      throw new ConfigError(`${path}.acrValues: must list at least one non-empty value`);
    }
    if (requirement.maxAgeSeconds !== undefined)
      integer(requirement.maxAgeSeconds, `${path}.maxAgeSeconds`, 0, 31_536_000);
  }
}

function integer(value: number, path: string, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(`${path}: must be an integer between ${min} and ${max}`);
  }
}

function absoluteUrl(value: string, path: string): URL {
  if (!URL.canParse(value)) throw new ConfigError(`${path}: must be an absolute URL`);
  return new URL(value);
}

function resourceIdentifier(value: string, path: string): void {
  const url = absoluteUrl(value, path);
  // RFC 8707 §2: a resource indicator MUST NOT include a fragment; RFC 9728 §3.1 inserts the well-known segment
  // before the path, so a query would make the metadata location ambiguous.
  if (url.hash || url.search || value.includes('#') || value.includes('?')) {
    throw new ConfigError(`${path}: must not carry a query or fragment`);
  }
  if (url.pathname === '/' || url.pathname.endsWith('/')) {
    throw new ConfigError(`${path}: must name the MCP endpoint path without a trailing slash (e.g. /mcp)`);
  }
  if (url.href !== value) throw new ConfigError(`${path}: must be in canonical form (${url.href})`);
}
