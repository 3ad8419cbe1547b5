import {
  ConfigError,
  checkAllowedHosts,
  checkAllowedOrigins,
  checkTransportSecurity,
  checkTrustedProxies,
} from '@ema/oauth-server/runtime';
import { resolveDataDir } from '@ema/storage';

/** The validated configuration of the IdP. Every value has a documented default (the demo world of docs/demo-world.md). */
export interface IdpConfig {
  /** Interface to listen on. Default `localhost`. */
  readonly host: string;
  /** Port to listen on. Default `3100`; `0` picks a free port. */
  readonly port: number;
  /** The issuer identifier: an https URL (http only on loopback with the opt-out), no trailing slash. */
  readonly issuer: string;
  /** Directory of the SQLite database (`idp.sqlite`). Default `<repo>/data/idp`; `:memory:` keeps nothing. */
  readonly dataDir: string;
  /**
   * `postgres://…` of a PostgreSQL database (schema `idp`) to run on instead of SQLite, so that several instances
   * share one store. Unset: SQLite in `dataDir`. A secret-bearing value: never logged.
   */
  readonly databaseUrl: string | undefined;
  /** ID token lifetime. Default 600 s (profile decision). */
  readonly idTokenTtlSeconds: number;
  /** Lifetime of the IdP's own (userinfo) access tokens. Default 600 s. */
  readonly accessTokenTtlSeconds: number;
  /** ID-JAG lifetime. Default 300 s; at most 900 s because the RAS refuses longer ones. */
  readonly idJagTtlSeconds: number;
  /** Refresh token lifetime (each rotation issues a fresh one). Default 30 days. */
  readonly refreshTokenTtlSeconds: number;
  /** SSO session lifetime. Default 8 hours. */
  readonly sessionTtlSeconds: number;
  /** Authorization code lifetime. Default 60 s (RFC 6749 §4.1.2 recommends at most 10 minutes). */
  readonly authorizationCodeTtlSeconds: number;
  /** Bearer token for `/admin/api/*` automation; unset disables bearer access to the admin API. */
  readonly adminApiToken: string | undefined;
  /** Seed the demo world of docs/demo-world.md on the first start. Default true. */
  readonly seedDemo: boolean;
  /** The named development opt-out that allows http on loopback hosts. Default false. */
  readonly allowInsecureLoopback: boolean;
  /** pino log level. Default `info`. */
  readonly logLevel: string;
  /** scrypt cost as log2(N). Default 16 (64 MiB with r=8). Tests may lower it to 14, never below. */
  readonly passwordHashCost: number;
  /** Token endpoint requests per minute from one address. Default 6000. */
  readonly tokenRateLimitPerAddress: number;
  /** Token endpoint requests per minute of one authenticated client. Default 3000. */
  readonly tokenRateLimitPerClient: number;
  /** Admin API requests per minute from one address. Default 600. */
  readonly adminRateLimitPerAddress: number;
  /** `Host` values accepted besides the issuer's (e.g. behind a proxy). Default none. */
  readonly allowedHosts: readonly string[];
  /** Origins allowed to send state-changing requests besides the issuer's own. Default none. */
  readonly allowedOrigins: readonly string[];
  /** Proxies (IP addresses or CIDR blocks) whose `X-Forwarded-For` is believed, e.g. the load balancer. Default none. */
  readonly trustedProxies: readonly string[];
  /** URLs of the other roles, used only to seed the demo world. */
  readonly demo: DemoWorldUrls;
  /** Shared Signals (revocation events): the delivery retry bound and the demo Receiver. */
  readonly ssf: SsfSettings;
  /**
   * RFC 9449 §5.2 per client: the client ids whose token exchanges must carry a DPoP proof (so every ID-JAG they
   * get is bound, `cnf.jkt`). Default none: a proof is optional and binds when sent.
   */
  readonly dpopRequiredClients: readonly string[];
  /** RFC 9449 §8: DPoP proofs at the token endpoint must carry a server nonce. Default false. */
  readonly dpopNonces: boolean;
}

/** How the IdP delivers its Security Events (see `docs/protocol.md`, "Revocation across the chain"). */
export interface SsfSettings {
  /** The longest wait between two delivery attempts to a Receiver that is down (ms): the retry bound. Default 5000. */
  readonly retryMaxDelayMs: number;
  /** A SET not acknowledged after this long is given up (s). Default 86400. */
  readonly maxDeliveryAgeSeconds: number;
  /**
   * The bearer token of the demo RAS as SSF Receiver (audience `demo.rasIssuer`), registered at boot when absent.
   * No default: `pnpm start` generates one per install and gives it to the IdP and the RAS; without it the demo RAS
   * is not registered (an administrator registers Receivers through the admin API).
   */
  readonly demoReceiverToken: string | undefined;
}

/** Where the other demo roles live (docs/demo-world.md), so the seeded clients and resources point at them. */
export interface DemoWorldUrls {
  readonly agentHostUrl: string;
  readonly rasIssuer: string;
  readonly mcpResource: string;
}

/** Unvalidated configuration, as read from the environment or written in a test. */
export type IdpConfigInput = {
  -readonly [K in keyof Omit<IdpConfig, 'demo' | 'ssf'>]?: IdpConfig[K] | string;
} & { demo?: Partial<DemoWorldUrls>; ssf?: { -readonly [K in keyof SsfSettings]?: SsfSettings[K] | string } };

function readClientIds(path: string, value: readonly string[] | string | undefined): readonly string[] {
  if (value === undefined) return [];
  const list = typeof value === 'string' ? value.split(/[\s,]+/).filter((item) => item !== '') : value;
  if (list.some((id) => id.length === 0 || id.length > 255))
    throw new ConfigError(`${path}: a client id is empty or too long`);
  return list;
}

function readList(path: string, value: readonly string[] | string | undefined): readonly string[] {
  if (value === undefined) return [];
  const list = typeof value === 'string' ? value.split(/[\s,]+/).filter((item) => item !== '') : value;
  if (path === 'allowedHosts') checkAllowedHosts(list, path);
  else if (path === 'trustedProxies') checkTrustedProxies(list, path);
  else checkAllowedOrigins(list, path);
  return list;
}

/** The defaults: the demo world of docs/demo-world.md. */
export const IDP_DEFAULTS = {
  host: 'localhost',
  port: 3100,
  issuer: 'http://localhost:3100',
  idTokenTtlSeconds: 600,
  accessTokenTtlSeconds: 600,
  idJagTtlSeconds: 300,
  refreshTokenTtlSeconds: 30 * 24 * 3600,
  sessionTtlSeconds: 8 * 3600,
  authorizationCodeTtlSeconds: 60,
  seedDemo: true,
  allowInsecureLoopback: false,
  logLevel: 'info',
  passwordHashCost: 16,
  // Far above what a demo, a test suite or an agent host serving thousands of people sends; the benchmarks raise them.
  tokenRateLimitPerAddress: 6000,
  tokenRateLimitPerClient: 3000,
  adminRateLimitPerAddress: 600,
  demo: {
    agentHostUrl: 'http://localhost:3000',
    rasIssuer: 'http://localhost:3200',
    mcpResource: 'http://localhost:3300/mcp',
  },
} as const;

/**
 * Validates a partial configuration and fills in the defaults. Fails fast with a {@link ConfigError} whose
 * message starts with the path of the bad option.
 */
export function loadIdpConfig(input: IdpConfigInput = {}): IdpConfig {
  const allowInsecureLoopback = readBoolean('allowInsecureLoopback', input.allowInsecureLoopback, false);
  const issuer = readIssuer(input.issuer ?? IDP_DEFAULTS.issuer, allowInsecureLoopback);
  const idJagTtlSeconds = readInteger('idJagTtlSeconds', input.idJagTtlSeconds, IDP_DEFAULTS.idJagTtlSeconds, 1, 900);
  const adminApiToken = input.adminApiToken === undefined ? undefined : String(input.adminApiToken);
  if (adminApiToken !== undefined && adminApiToken.length < 32) {
    throw new ConfigError('adminApiToken: must be at least 32 characters (a high-entropy secret)');
  }
  const dataDir = input.dataDir === undefined ? resolveDataDir('idp') : String(input.dataDir);
  const databaseUrl = input.databaseUrl === undefined ? undefined : String(input.databaseUrl);
  // The message names the option only: the URL may carry a password.
  if (databaseUrl !== undefined && !/^postgres(?:ql)?:\/\//.test(databaseUrl)) {
    throw new ConfigError('databaseUrl: must be a postgres:// or postgresql:// URL');
  }
  return {
    host: input.host === undefined ? IDP_DEFAULTS.host : String(input.host),
    port: readInteger('port', input.port, IDP_DEFAULTS.port, 0, 65535),
    issuer,
    dataDir,
    databaseUrl,
    idTokenTtlSeconds: readInteger('idTokenTtlSeconds', input.idTokenTtlSeconds, IDP_DEFAULTS.idTokenTtlSeconds, 1),
    accessTokenTtlSeconds: readInteger(
      'accessTokenTtlSeconds',
      input.accessTokenTtlSeconds,
      IDP_DEFAULTS.accessTokenTtlSeconds,
      1,
    ),
    idJagTtlSeconds,
    refreshTokenTtlSeconds: readInteger(
      'refreshTokenTtlSeconds',
      input.refreshTokenTtlSeconds,
      IDP_DEFAULTS.refreshTokenTtlSeconds,
      1,
    ),
    sessionTtlSeconds: readInteger('sessionTtlSeconds', input.sessionTtlSeconds, IDP_DEFAULTS.sessionTtlSeconds, 1),
    authorizationCodeTtlSeconds: readInteger(
      'authorizationCodeTtlSeconds',
      input.authorizationCodeTtlSeconds,
      IDP_DEFAULTS.authorizationCodeTtlSeconds,
      1,
      600,
    ),
    adminApiToken,
    seedDemo: readBoolean('seedDemo', input.seedDemo, IDP_DEFAULTS.seedDemo),
    allowInsecureLoopback,
    logLevel: input.logLevel === undefined ? IDP_DEFAULTS.logLevel : String(input.logLevel),
    passwordHashCost: readInteger('passwordHashCost', input.passwordHashCost, IDP_DEFAULTS.passwordHashCost, 14, 20),
    tokenRateLimitPerAddress: readRateLimit('tokenRateLimitPerAddress', input.tokenRateLimitPerAddress),
    tokenRateLimitPerClient: readRateLimit('tokenRateLimitPerClient', input.tokenRateLimitPerClient),
    adminRateLimitPerAddress: readRateLimit('adminRateLimitPerAddress', input.adminRateLimitPerAddress),
    allowedHosts: readList('allowedHosts', input.allowedHosts),
    allowedOrigins: readList('allowedOrigins', input.allowedOrigins),
    trustedProxies: readList('trustedProxies', input.trustedProxies),
    demo: {
      agentHostUrl: readUrl('demo.agentHostUrl', input.demo?.agentHostUrl ?? IDP_DEFAULTS.demo.agentHostUrl),
      rasIssuer: readUrl('demo.rasIssuer', input.demo?.rasIssuer ?? IDP_DEFAULTS.demo.rasIssuer),
      mcpResource: readUrl('demo.mcpResource', input.demo?.mcpResource ?? IDP_DEFAULTS.demo.mcpResource),
    },
    ssf: readSsfSettings(input),
    dpopRequiredClients: readClientIds('dpopRequiredClients', input.dpopRequiredClients),
    dpopNonces: readBoolean('dpopNonces', input.dpopNonces, false),
  };
}

function readSsfSettings(input: IdpConfigInput): SsfSettings {
  const given = input.ssf?.demoReceiverToken;
  const demoReceiverToken = given === undefined ? undefined : String(given);
  if (demoReceiverToken !== undefined && demoReceiverToken.length < 32) {
    throw new ConfigError('ssf.demoReceiverToken: must be at least 32 characters (a high-entropy secret)');
  }
  return {
    retryMaxDelayMs: readInteger('ssf.retryMaxDelayMs', input.ssf?.retryMaxDelayMs, 5000, 100, 600_000),
    maxDeliveryAgeSeconds: readInteger(
      'ssf.maxDeliveryAgeSeconds',
      input.ssf?.maxDeliveryAgeSeconds,
      86_400,
      60,
      30 * 86_400,
    ),
    demoReceiverToken,
  };
}

function readIssuer(value: string, allowInsecureLoopback: boolean): string {
  const url = readUrl('issuer', value);
  const parsed = new URL(url);
  // RFC 8414 §2 / OIDC Discovery §3: the issuer has no query or fragment; docs/demo-world.md: no trailing slash.
  if (parsed.search !== '' || parsed.hash !== '') throw new ConfigError('issuer: must not have a query or fragment');
  if (url.endsWith('/')) throw new ConfigError('issuer: must not end with a slash');
  checkTransportSecurity(url, 'issuer', { allowInsecureLoopback });
  return url;
}

function readRateLimit(
  path: 'tokenRateLimitPerAddress' | 'tokenRateLimitPerClient' | 'adminRateLimitPerAddress',
  value: number | string | undefined,
): number {
  return readInteger(path, value, IDP_DEFAULTS[path], 1, 1_000_000_000);
}

function readUrl(path: string, value: string): string {
  if (!URL.canParse(value)) throw new ConfigError(`${path}: must be an absolute URL`);
  return value;
}

function readInteger(path: string, value: number | string | undefined, fallback: number, min: number, max?: number) {
  if (value === undefined) return fallback;
  const number = typeof value === 'number' ? value : /^-?\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isInteger(number) || number < min || (max !== undefined && number > max)) {
    const range = max === undefined ? `>= ${min}` : `between ${min} and ${max}`;
    throw new ConfigError(`${path}: must be an integer ${range}`);
  }
  return number;
}

function readBoolean(path: string, value: boolean | string | undefined, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value === 'boolean') return value;
  if (['1', 'true', 'yes'].includes(value)) return true;
  if (['0', 'false', 'no'].includes(value)) return false;
  throw new ConfigError(`${path}: must be a boolean (1/0, true/false)`);
}
