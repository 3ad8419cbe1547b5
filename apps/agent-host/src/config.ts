/**
 * The agent host's configuration: type, documented defaults (the demo world of docs/demo-world.md), and validation that fails
 * fast with the path of the bad option.
 */
import { ConfigError, checkAllowedHosts, checkAllowedOrigins, checkTransportSecurity } from '@ema/oauth-server/runtime';
import { resolveDataDir } from '@ema/storage';

/** One MCP server of the catalog. */
export interface McpServerEntry {
  /** Stable id used in URLs and test ids (lowercase letters, digits, dashes). */
  readonly id: string;
  readonly name: string;
  /** The MCP endpoint URL (also its resource identifier, MCP-AUTH). */
  readonly url: string;
}

/** The host's credentials at one authorization server. */
export interface RasCredentials {
  readonly clientId: string;
  readonly clientSecret: string;
}

/** The validated configuration. */
export interface AgentHostConfig {
  /** Interface to listen on. Default `localhost`. */
  readonly host: string;
  /** Port. Default `3000`; `0` picks a free port. */
  readonly port: number;
  /** The public base URL (redirect URI = `<baseUrl>/auth/callback`). Default `http://localhost:3000`. */
  readonly baseUrl: string;
  /** Directory of `agent-host.sqlite`. Default `<repo>/data/agent-host`. */
  readonly dataDir: string;
  readonly idp: {
    /** Default `http://localhost:3100`. */
    readonly issuer: string;
    /** Default `agent-host`. */
    readonly clientId: string;
    /** Default `agent-host-dev-secret` (development only). */
    readonly clientSecret: string;
    /** Scopes of the sign-in. Default `openid profile email offline_access` (offline_access: the refresh token). */
    readonly scope: string;
    /** After local sign-out, also end the IdP session (OIDC RP-Initiated Logout) when the IdP supports it. Default true. */
    readonly signOutAtIdp: boolean;
    /**
     * Where employees manage their sign-in methods at the IdP (add a passkey), named when a step-up fails because
     * they have none. Default `<issuer>/account` (this repository's IdP).
     */
    readonly accountUrl: string;
  };
  /** The host's credentials per RAS issuer (it has a different client id at each). */
  readonly rasCredentials: Readonly<Record<string, RasCredentials>>;
  /** The catalog. Default: Acme Tickets at `http://localhost:3300/mcp`. */
  readonly servers: readonly McpServerEntry[];
  /**
   * Signs cookies and seals tokens at rest; at least 32 characters. Unset: a secret generated on the first start and
   * kept in `<dataDir>/session-secret` (mode 0600), so sessions survive restarts and no install shares another's.
   */
  readonly sessionSecret: string | undefined;
  /** Session lifetime. Default 8 hours. */
  readonly sessionTtlSeconds: number;
  /** Access tokens are renewed this long before expiry (at most a quarter of their lifetime). Default 60 s. */
  readonly tokenRenewBeforeSeconds: number;
  /** Time-out of each outbound HTTP request. Default 10000 ms. */
  readonly httpTimeoutMs: number;
  /**
   * RFC 9449: sender-constrained tokens. Each connection gets its own ES256 key (sealed in the database); the ID-JAG
   * and the access token are bound to it and every MCP request carries a proof. Default true.
   */
  readonly dpop: boolean;
  /** The named development opt-out allowing http on loopback hosts. Default false. */
  readonly allowInsecureLoopback: boolean;
  /** pino level. Default `info`. */
  readonly logLevel: string;
  /** `Host` values accepted besides the base URL's (e.g. behind a proxy). Default none. */
  readonly allowedHosts: readonly string[];
  /** Origins allowed to post forms here besides the base URL's own. Default none. */
  readonly allowedOrigins: readonly string[];
}

/** Unvalidated configuration (from the environment or a test). */
export interface AgentHostConfigInput {
  host?: string;
  port?: number | string;
  baseUrl?: string;
  dataDir?: string;
  idp?: {
    issuer?: string;
    clientId?: string;
    clientSecret?: string;
    scope?: string;
    signOutAtIdp?: boolean | string;
    accountUrl?: string;
  };
  rasCredentials?: Record<string, { clientId?: string; clientSecret?: string }>;
  /** JSON array of `{ name, url, id? }`, or `Name=url` pairs separated by commas, or the parsed array. */
  servers?: string | ReadonlyArray<{ name?: string; url?: string; id?: string }>;
  sessionSecret?: string;
  sessionTtlSeconds?: number | string;
  tokenRenewBeforeSeconds?: number | string;
  httpTimeoutMs?: number | string;
  dpop?: boolean | string;
  allowInsecureLoopback?: boolean | string;
  logLevel?: string;
  /** Lists, or comma- or space-separated strings. */
  allowedHosts?: string | readonly string[];
  allowedOrigins?: string | readonly string[];
}

/** The defaults: docs/demo-world.md. */
export const AGENT_HOST_DEFAULTS = {
  host: 'localhost',
  port: 3000,
  baseUrl: 'http://localhost:3000',
  idp: {
    issuer: 'http://localhost:3100',
    clientId: 'agent-host',
    clientSecret: 'agent-host-dev-secret',
    scope: 'openid profile email offline_access',
  },
  rasCredentials: {
    'http://localhost:3200': { clientId: 'acme-agent-host', clientSecret: 'acme-agent-host-dev-secret' },
  },
  servers: [{ id: 'acme-tickets', name: 'Acme Tickets', url: 'http://localhost:3300/mcp' }],
  sessionTtlSeconds: 8 * 3600,
  tokenRenewBeforeSeconds: 60,
  httpTimeoutMs: 10_000,
  logLevel: 'info',
} as const;

/** Validates `input` and fills in the defaults. Throws {@link ConfigError} naming the option. */
export function loadAgentHostConfig(input: AgentHostConfigInput = {}): AgentHostConfig {
  const allowInsecureLoopback = readBoolean('allowInsecureLoopback', input.allowInsecureLoopback, false);
  const security = { allowInsecureLoopback };
  const baseUrl = readUrl('baseUrl', input.baseUrl ?? AGENT_HOST_DEFAULTS.baseUrl, security).replace(/\/$/, '');
  const issuer = readUrl('idp.issuer', input.idp?.issuer ?? AGENT_HOST_DEFAULTS.idp.issuer, security);
  const sessionSecret = input.sessionSecret;
  if (sessionSecret !== undefined && sessionSecret.length < 32) {
    throw new ConfigError('sessionSecret: must be at least 32 characters');
  }
  return {
    host: input.host ?? AGENT_HOST_DEFAULTS.host,
    port: readInteger('port', input.port, AGENT_HOST_DEFAULTS.port, 0, 65535),
    baseUrl,
    dataDir: input.dataDir === ':memory:' ? ':memory:' : resolveDataDir('agent-host', input.dataDir),
    idp: {
      issuer,
      clientId: readNonEmpty('idp.clientId', input.idp?.clientId ?? AGENT_HOST_DEFAULTS.idp.clientId),
      clientSecret: readNonEmpty('idp.clientSecret', input.idp?.clientSecret ?? AGENT_HOST_DEFAULTS.idp.clientSecret),
      scope: input.idp?.scope ?? AGENT_HOST_DEFAULTS.idp.scope,
      signOutAtIdp: readBoolean('idp.signOutAtIdp', input.idp?.signOutAtIdp, true),
      accountUrl: readAccountUrl(input.idp?.accountUrl ?? `${issuer}/account`),
    },
    rasCredentials: readRasCredentials(input.rasCredentials ?? AGENT_HOST_DEFAULTS.rasCredentials, security),
    servers: readServers(input.servers ?? AGENT_HOST_DEFAULTS.servers, security),
    sessionSecret,
    sessionTtlSeconds: readInteger(
      'sessionTtlSeconds',
      input.sessionTtlSeconds,
      AGENT_HOST_DEFAULTS.sessionTtlSeconds,
      60,
    ),
    tokenRenewBeforeSeconds: readInteger(
      'tokenRenewBeforeSeconds',
      input.tokenRenewBeforeSeconds,
      AGENT_HOST_DEFAULTS.tokenRenewBeforeSeconds,
      0,
    ),
    httpTimeoutMs: readInteger('httpTimeoutMs', input.httpTimeoutMs, AGENT_HOST_DEFAULTS.httpTimeoutMs, 100, 120_000),
    dpop: readBoolean('dpop', input.dpop, true),
    allowInsecureLoopback,
    logLevel: input.logLevel ?? AGENT_HOST_DEFAULTS.logLevel,
    allowedHosts: readList(input.allowedHosts, (list) => checkAllowedHosts(list, 'allowedHosts')),
    allowedOrigins: readList(input.allowedOrigins, (list) => checkAllowedOrigins(list, 'allowedOrigins')),
  };
}

function readList(value: string | readonly string[] | undefined, check: (list: readonly string[]) => void): string[] {
  if (value === undefined) return [];
  const list = typeof value === 'string' ? value.split(/[\s,]+/).filter((item) => item !== '') : [...value];
  check(list);
  return list;
}

function readUrl(path: string, value: string, security: { allowInsecureLoopback: boolean }): string {
  if (!URL.canParse(value)) throw new ConfigError(`${path}: must be an absolute URL`);
  checkTransportSecurity(value, path, security);
  return value;
}

function readNonEmpty(path: string, value: string): string {
  if (value.length === 0) throw new ConfigError(`${path}: must not be empty`);
  return value;
}

function readInteger(
  path: string,
  value: number | string | undefined,
  fallback: number,
  min: number,
  max?: number,
): number {
  if (value === undefined) return fallback;
  const number = typeof value === 'number' ? value : /^-?\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isInteger(number) || number < min || (max !== undefined && number > max)) {
    throw new ConfigError(
      `${path}: must be an integer ${max === undefined ? `>= ${min}` : `between ${min} and ${max}`}`,
    );
  }
  return number;
}

function readBoolean(path: string, value: boolean | string | undefined, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value === 'boolean') return value;
  if (['1', 'true', 'yes'].includes(value.toLowerCase())) return true;
  if (['0', 'false', 'no'].includes(value.toLowerCase())) return false;
  throw new ConfigError(`${path}: must be true or false`);
}

function readRasCredentials(
  input: Record<string, { clientId?: string; clientSecret?: string }>,
  security: { allowInsecureLoopback: boolean },
): Record<string, RasCredentials> {
  const out: Record<string, RasCredentials> = {};
  for (const [issuer, credentials] of Object.entries(input)) {
    const path = `rasCredentials["${issuer}"]`;
    readUrl(path, issuer, security);
    if (!credentials.clientId || !credentials.clientSecret)
      throw new ConfigError(`${path}: needs clientId and clientSecret`);
    out[issuer] = { clientId: credentials.clientId, clientSecret: credentials.clientSecret };
  }
  return out;
}

/** Parses the catalog: a JSON array, or `Name=url` pairs separated by commas. */
function readServers(
  input: string | ReadonlyArray<{ name?: string; url?: string; id?: string }>,
  security: { allowInsecureLoopback: boolean },
): McpServerEntry[] {
  let entries: ReadonlyArray<{ name?: string; url?: string; id?: string }>;
  if (typeof input !== 'string') entries = input;
  else if (input.trim().startsWith('[')) {
    try {
      entries = JSON.parse(input) as Array<{ name?: string; url?: string; id?: string }>;
    } catch {
      throw new ConfigError('servers: is not valid JSON');
    }
  } else {
    entries = input
      .split(',')
      .filter((pair) => pair.trim() !== '')
      .map((pair) => {
        const at = pair.indexOf('=');
        return { name: pair.slice(0, at).trim(), url: pair.slice(at + 1).trim() };
      });
  }
  if (!Array.isArray(entries) || entries.length === 0) throw new ConfigError('servers: must list at least one server');
  const seen = new Set<string>();
  return entries.map((entry, index) => {
    const path = `servers[${index}]`;
    if (!entry.name) throw new ConfigError(`${path}.name: must not be empty`);
    const url = readUrl(`${path}.url`, entry.url ?? '', security);
    const id =
      entry.id ??
      entry.name
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, '-')
        .replace(/^-|-$/g, '');
    if (!/^[a-z0-9][a-z0-9-]*$/.test(id))
      throw new ConfigError(`${path}.id: must be lowercase letters, digits and dashes`);
    if (seen.has(id)) throw new ConfigError(`${path}.id: "${id}" is used twice`);
    seen.add(id);
    return { id, name: entry.name, url };
  });
}

// Shown to the employee as a link: an absolute http(s) URL only.
function readAccountUrl(value: string): string {
  if (!URL.canParse(value) || !/^https?:$/.test(new URL(value).protocol)) {
    throw new ConfigError('idp.accountUrl: must be an absolute http(s) URL');
  }
  return value;
}
