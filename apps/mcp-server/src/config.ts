/**
 * Configuration of the MCP server "Acme Tickets": one object with documented defaults (the demo world of docs/demo-world.md),
 * validated at boot. Validation fails fast with the path of the bad option.
 */
import { ConfigError, checkTransportSecurity, checkTrustedProxies } from '@ema/oauth-server/runtime';
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
  /**
   * How long the RAS's expired JWKS may still verify access tokens while its key endpoint is down (seconds; RFC 5861
   * §4 `stale-if-error`). Past it, every token is refused until the keys can be fetched again.
   */
  rasJwksStaleIfErrorSeconds: number;
  /** Asymmetric algorithms accepted on access tokens (RFC 8725 §3.1: always an explicit allow-list). */
  algorithms: readonly string[];
  clockToleranceSeconds: number;
  /**
   * RFC 9728 §2 `dpop_bound_access_tokens_required`: only DPoP-bound tokens (with a proof per request) are accepted.
   * Default false: DPoP-bound tokens need their proof, and plain bearer tokens keep working.
   */
  dpopRequired: boolean;
  /** RFC 9449 §9: DPoP proofs must carry a nonce of this server. Default false. */
  dpopNonces: boolean;
  dataDir: string;
  /**
   * `postgres://…` of a PostgreSQL database (schema `mcp`) to run on instead of SQLite in {@link McpServerConfig.dataDir},
   * so that several instances share tickets, revocations and the audit log. Unset: SQLite. A secret-bearing value:
   * never logged.
   */
  databaseUrl: string | undefined;
  logLevel: string;
  /**
   * `Host` header values accepted besides the resource identifier's host (DNS-rebinding protection; a loopback
   * resource identifier accepts every loopback name). `null`: none.
   */
  allowedHosts: readonly string[] | null;
  /**
   * `Origin` header values accepted besides the resource identifier's origin (requests without `Origin` are not
   * browser requests and pass). `null`: none.
   */
  allowedOrigins: readonly string[] | null;
  /** Proxies (IP addresses or CIDR blocks) whose `X-Forwarded-For` is believed, e.g. the load balancer. */
  trustedProxies: readonly string[];
  /**
   * Upper bound on live MCP sessions held in memory, the last bound: a new session may replace its own subject's
   * least recently used session, never another subject's; otherwise it is refused (503, `Retry-After`).
   */
  maxSessions: number;
  /** Live sessions of one subject: beyond it, a new session replaces that subject's least recently used one. */
  maxSessionsPerSubject: number;
  /** Live sessions of one client, all users together: beyond it, new sessions are refused (429, `Retry-After`). */
  maxSessionsPerClient: number;
  /** A session unused for this long is closed. */
  sessionIdleTimeoutSeconds: number;
  /** MCP endpoint requests per minute from one address (counted before the token is verified). */
  rateLimitPerAddress: number;
  /** MCP endpoint requests per minute of one access-token subject. */
  rateLimitPerSubject: number;
  /** The named development opt-out: allows http:// on loopback hosts only. */
  allowInsecureLoopback: boolean;
  /** The `iat` window of the Security Events the RAS pushes (they carry no `exp`), seconds. Default 300. */
  ssfMaxEventAgeSeconds: number;
  /**
   * How long a revocation of a subject or session is kept after its cut-off, seconds: at least the longest lifetime
   * of the RAS's access tokens (900 s by default there). Default 86400.
   */
  revocationRetentionSeconds: number;
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

/** Defaults: the demo world of docs/demo-world.md. */
export const defaultConfig: McpServerConfig = {
  port: 3300,
  host: 'localhost',
  resource: 'http://localhost:3300/mcp',
  resourceName: 'Acme Tickets',
  authorizationServer: DEMO_RAS,
  rasJwksUri: `${DEMO_RAS}/jwks.json`,
  rasJwksStaleIfErrorSeconds: 3600,
  algorithms: DEFAULT_ALGORITHMS,
  clockToleranceSeconds: 30,
  dpopRequired: false,
  dpopNonces: false,
  dataDir: '',
  databaseUrl: undefined,
  logLevel: 'info',
  allowedHosts: null,
  allowedOrigins: null,
  trustedProxies: [],
  maxSessions: 1000,
  maxSessionsPerSubject: 10,
  maxSessionsPerClient: 500,
  sessionIdleTimeoutSeconds: 1800,
  // An agent host calls from one address for all its users; one person's agents rarely pass a few calls a second.
  rateLimitPerAddress: 12_000,
  rateLimitPerSubject: 1200,
  allowInsecureLoopback: false,
  ssfMaxEventAgeSeconds: 300,
  revocationRetentionSeconds: 86_400,
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
  // The message names the option only: the URL may carry a password.
  if (config.databaseUrl !== undefined && !/^postgres(?:ql)?:\/\//.test(config.databaseUrl)) {
    throw new ConfigError('databaseUrl: must be a postgres:// or postgresql:// URL');
  }
  integer(config.clockToleranceSeconds, 'clockToleranceSeconds', 0, 300);
  integer(config.maxSessions, 'maxSessions', 1, 1_000_000);
  integer(config.maxSessionsPerSubject, 'maxSessionsPerSubject', 1, 1_000_000);
  integer(config.maxSessionsPerClient, 'maxSessionsPerClient', 1, 1_000_000);
  integer(config.sessionIdleTimeoutSeconds, 'sessionIdleTimeoutSeconds', 1, 86_400);
  integer(config.rasJwksStaleIfErrorSeconds, 'rasJwksStaleIfErrorSeconds', 0, 604_800);
  integer(config.rateLimitPerAddress, 'rateLimitPerAddress', 1, 1_000_000_000);
  integer(config.rateLimitPerSubject, 'rateLimitPerSubject', 1, 1_000_000_000);
  integer(config.ssfMaxEventAgeSeconds, 'ssfMaxEventAgeSeconds', 10, 3600);
  integer(config.revocationRetentionSeconds, 'revocationRetentionSeconds', 60, 30 * 86_400);
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
  checkTrustedProxies(config.trustedProxies, 'trustedProxies');
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
