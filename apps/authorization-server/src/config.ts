/**
 * Configuration of the resource authorization server (RAS): one object with documented defaults (the demo world of
 * docs/demo-world.md), validated at boot. Validation fails fast with the path of the bad option.
 */
import { ASYMMETRIC_JWS_ALGORITHMS, type AuthorizationDetailType } from '@ema/oauth-server';
import {
  ConfigError,
  checkAllowedHosts,
  checkAllowedOrigins,
  checkTransportSecurity,
  checkTrustedProxies,
  generateSecret,
} from '@ema/oauth-server/runtime';
import {
  AUTHORIZATION_DETAILS_TYPE_TICKETS,
  DEFAULT_ALGORITHMS,
  IDP_ONLY_SCOPES,
  TICKETS_AUTHORIZATION_ACTIONS,
} from '@ema/protocol';
import { resolveDataDir } from '@ema/storage';
import {
  type InteractiveConfig,
  type InteractiveConfigInput,
  resolveInteractiveConfig,
} from './interactive/interactive-config.js';

/** A trusted IdP seeded at boot (ID-JAG §4.4.1: only explicitly configured issuers are trusted). */
export interface TrustedIdpSeed {
  issuer: string;
  jwksUri: string;
  algorithms: readonly string[];
  /** ID-JAG §6.1: for a multi-tenant issuer, the tenants it is trusted for (its ID-JAGs must name one). */
  tenants?: readonly string[];
}

/** An MCP server this RAS issues access tokens for (RFC 8707 resource identifier) and the scopes it defines. */
export interface ResourceSeed {
  resource: string;
  name: string;
  scopes: readonly string[];
  /** RFC 9396: the authorization details types the resource understands (docs/protocol.md). */
  authorizationDetailTypes?: readonly AuthorizationDetailType[];
  /** Where the MCP server receives this RAS's Security Events (RFC 8935 push); none: it is not told of revocations. */
  eventsEndpoint?: string;
}

/** A client registered at this RAS, with the resources and scopes it may obtain. */
export interface ClientSeed {
  clientId: string;
  name: string;
  /** Development secret; `null` seeds a public client (which the token endpoint refuses). */
  secret: string | null;
  grants: readonly { resource: string; scopes: readonly string[] }[];
}

/** The validated configuration of the RAS. */
export interface RasConfig {
  port: number;
  host: string;
  /** RFC 8414 §2 issuer identifier: the `aud` every ID-JAG must carry (ID-JAG §4.4.1). No trailing slash. */
  issuer: string;
  dataDir: string;
  /**
   * `postgres://…` of a PostgreSQL database (schema `ras`) to run on instead of SQLite in {@link RasConfig.dataDir},
   * so that several instances share one store. Unset: SQLite. A secret-bearing value: never logged.
   */
  databaseUrl: string | undefined;
  logLevel: string;
  accessTokenTtlSeconds: number;
  /** Upper bound on `exp - iat` of an ID-JAG (profile decision: 15 minutes). */
  maxIdJagLifetimeSeconds: number;
  clockToleranceSeconds: number;
  /** Create a local account the first time an (iss, sub) pair redeems an ID-JAG. */
  jitProvisioning: boolean;
  /**
   * Bearer token guarding the admin API; `null` disables the admin API. Unset under the loopback opt-out: a random
   * token generated at each boot and written to `<dataDir>/admin-api-token` (mode 0600), where `pnpm start` reads it.
   */
  adminApiToken: string | null;
  /** Whether {@link adminApiToken} was generated at this boot (never true for a configured token). */
  adminApiTokenGenerated: boolean;
  /** The named development opt-out: allows http:// on loopback hosts only. */
  allowInsecureLoopback: boolean;
  /** Token endpoint requests per minute from one address. */
  tokenRateLimitPerAddress: number;
  /** Token endpoint requests per minute of one authenticated client. */
  tokenRateLimitPerClient: number;
  /** Admin API requests per minute from one address (counted before the token is compared). */
  adminRateLimitPerAddress: number;
  /** `Host` values accepted besides the issuer's (e.g. behind a proxy). */
  allowedHosts: readonly string[];
  /** Origins allowed to send state-changing requests besides the issuer's own. */
  allowedOrigins: readonly string[];
  /** Proxies (IP addresses or CIDR blocks) whose `X-Forwarded-For` is believed, e.g. the load balancer. */
  trustedProxies: readonly string[];
  /** How often consumed `jti` entries and revocation records past their expiry are purged. */
  purgeIntervalSeconds: number;
  /**
   * RFC 9449 §5.2 per client: the client ids whose token requests must carry a DPoP proof (every access token they
   * get is DPoP-bound). Default none: a proof is optional, and an ID-JAG with `cnf` needs one anyway.
   */
  dpopRequiredClients: readonly string[];
  /** RFC 9449 §8: DPoP proofs at the token endpoint must carry a server nonce. Default false. */
  dpopNonces: boolean;
  /**
   * How long a trusted IdP's expired JWKS may still verify ID-JAGs while its key endpoint is down (seconds; RFC 5861
   * §4 `stale-if-error`). Past it, redemptions fail with `invalid_grant` until the keys can be fetched again.
   */
  jwksStaleIfErrorSeconds: number;
  /**
   * The bearer token this RAS presents at its trusted IdP's SSF stream management API (the Receiver credential the
   * IdP issued), for the seeded trusted IdP; `null`: no stream is registered, no revocation event is received.
   */
  ssfTransmitterToken: string | null;
  /** The `iat` window of received Security Events (they carry no `exp`), seconds. Default 300. */
  ssfMaxEventAgeSeconds: number;
  /** The delivery retry bound towards the MCP servers (longest wait between two attempts), ms. Default 5000. */
  ssfRetryMaxDelayMs: number;
  /** A Security Event not acknowledged after this long is given up, seconds. Default 86400. */
  ssfMaxDeliveryAgeSeconds: number;
  /** Seeds applied at boot when absent (never overwriting what the admin API changed). */
  trustedIdps: readonly TrustedIdpSeed[];
  resources: readonly ResourceSeed[];
  clients: readonly ClientSeed[];
  /** The interactive path: authorization code + PKCE for MCP clients without EMA (`src/interactive/`). */
  interactive: InteractiveConfig;
}

/** What `env.ts` (or a test) may override; `undefined` means "use the default". */
export type RasConfigInput = { [K in Exclude<keyof RasConfig, 'interactive'>]?: RasConfig[K] | undefined } & {
  interactive?: InteractiveConfigInput | undefined;
};

/**
 * The file of the data directory that holds the admin token generated at boot (no `RAS_ADMIN_API_TOKEN`, loopback
 * opt-out on), for the launcher's banner; removed at boot otherwise, so it never holds a stale token.
 */
export const ADMIN_API_TOKEN_FILE = 'admin-api-token';

/** Where this RAS receives Security Events from its IdPs (RFC 8935 push), relative to its issuer. */
export const SSF_PUSH_PATH = '/ssf/events';

const DEMO_IDP = 'http://localhost:3100';
/**
 * Where a trusted IdP publishes its keys when only its issuer is configured: this repository's IdP serves its JWKS
 * at `<issuer>/jwks` (the `jwks_uri` of its discovery document).
 */
export const DEFAULT_IDP_JWKS_PATH = '/jwks';
const DEMO_RESOURCE = 'http://localhost:3300/mcp';

/** Defaults: the demo world of docs/demo-world.md. */
export const defaultConfig: RasConfig = {
  port: 3200,
  host: 'localhost',
  issuer: 'http://localhost:3200',
  dataDir: '',
  databaseUrl: undefined,
  logLevel: 'info',
  accessTokenTtlSeconds: 900,
  maxIdJagLifetimeSeconds: 900,
  clockToleranceSeconds: 30,
  jitProvisioning: true,
  adminApiToken: null,
  adminApiTokenGenerated: false,
  allowInsecureLoopback: false,
  // Far above what a demo, a test suite or an agent host serving thousands of people sends; the benchmarks raise them.
  tokenRateLimitPerAddress: 6000,
  tokenRateLimitPerClient: 3000,
  adminRateLimitPerAddress: 600,
  allowedHosts: [],
  allowedOrigins: [],
  trustedProxies: [],
  purgeIntervalSeconds: 60,
  dpopRequiredClients: [],
  dpopNonces: false,
  jwksStaleIfErrorSeconds: 3600,
  ssfTransmitterToken: null,
  ssfMaxEventAgeSeconds: 300,
  ssfRetryMaxDelayMs: 5000,
  ssfMaxDeliveryAgeSeconds: 86_400,
  trustedIdps: [{ issuer: DEMO_IDP, jwksUri: `${DEMO_IDP}${DEFAULT_IDP_JWKS_PATH}`, algorithms: DEFAULT_ALGORITHMS }],
  ...demoRegistry(DEMO_RESOURCE),
  interactive: resolveInteractiveConfig(undefined, {
    trustedIdpIssuers: [DEMO_IDP],
    clientIds: [],
    allowInsecureLoopback: true,
  }),
};

/**
 * The demo world's resource (Acme Tickets) and client (`acme-agent-host`, docs/demo-world.md), for a given MCP resource
 * identifier (`RAS_DEMO_MCP_RESOURCE` moves it, like the IdP's `IDP_DEMO_MCP_RESOURCE`).
 */
export function demoRegistry(mcpResource: string, eventsEndpoint?: string): Pick<RasConfig, 'resources' | 'clients'> {
  const scopes = ['tickets.read', 'tickets.write'];
  // Acme Tickets receives Security Events at /ssf/events on its origin (apps/mcp-server), unless told otherwise.
  const endpoint = eventsEndpoint ?? new URL('/ssf/events', mcpResource).href;
  return {
    resources: [
      {
        resource: mcpResource,
        name: 'Acme Tickets',
        scopes,
        // RFC 9396: an IdP may grant ticket operations, optionally on one ticket (`identifier`), instead of scopes.
        authorizationDetailTypes: [
          { type: AUTHORIZATION_DETAILS_TYPE_TICKETS, actions: TICKETS_AUTHORIZATION_ACTIONS, identifiers: true },
        ],
        eventsEndpoint: endpoint,
      },
    ],
    clients: [
      {
        clientId: 'acme-agent-host',
        name: 'Acme agent host',
        secret: 'acme-agent-host-dev-secret',
        grants: [{ resource: mcpResource, scopes }],
      },
    ],
  };
}

/**
 * Merges overrides onto the defaults and validates the result.
 *
 * @throws ConfigError naming the offending option path.
 */
export function loadRasConfig(input: RasConfigInput = {}): RasConfig {
  const { interactive, ...given } = stripUndefined(input);
  const merged = { ...defaultConfig, ...given } as RasConfig;
  // Unset (not given) under the loopback opt-out: a token generated for this boot only, never a published default.
  // `null` disables the admin API.
  const adminApiTokenGenerated = !('adminApiToken' in given) && merged.allowInsecureLoopback;
  const adminApiToken = adminApiTokenGenerated
    ? generateSecret()
    : 'adminApiToken' in given
      ? merged.adminApiToken
      : null;
  // No default, not even under the loopback opt-out: the launcher generates one per install for the IdP and the RAS.
  const ssfTransmitterToken = 'ssfTransmitterToken' in given ? merged.ssfTransmitterToken : null;
  const config: RasConfig = {
    ...merged,
    dataDir: resolveDataDir('authorization-server', merged.dataDir || undefined),
    adminApiToken,
    adminApiTokenGenerated,
    ssfTransmitterToken,
  };
  validateConfig(config);
  config.interactive = resolveInteractiveConfig(interactive, {
    trustedIdpIssuers: config.trustedIdps.map((idp) => idp.issuer),
    clientIds: config.clients.map((client) => client.clientId),
    allowInsecureLoopback: config.allowInsecureLoopback,
  });
  return config;
}

function stripUndefined(input: RasConfigInput): RasConfigInput {
  return Object.fromEntries(Object.entries(input).filter(([, value]) => value !== undefined)) as RasConfigInput;
}

function validateConfig(config: RasConfig): void {
  const transport = { allowInsecureLoopback: config.allowInsecureLoopback };
  integer(config.port, 'port', 0, 65535);
  // The message names the option only: the URL may carry a password.
  if (config.databaseUrl !== undefined && !/^postgres(?:ql)?:\/\//.test(config.databaseUrl)) {
    throw new ConfigError('databaseUrl: must be a postgres:// or postgresql:// URL');
  }
  integer(config.accessTokenTtlSeconds, 'accessTokenTtlSeconds', 1, 86_400);
  integer(config.maxIdJagLifetimeSeconds, 'maxIdJagLifetimeSeconds', 1, 86_400);
  integer(config.clockToleranceSeconds, 'clockToleranceSeconds', 0, 300);
  integer(config.purgeIntervalSeconds, 'purgeIntervalSeconds', 1, 86_400);
  integer(config.jwksStaleIfErrorSeconds, 'jwksStaleIfErrorSeconds', 0, 604_800);
  integer(config.tokenRateLimitPerAddress, 'tokenRateLimitPerAddress', 1, 1_000_000_000);
  integer(config.tokenRateLimitPerClient, 'tokenRateLimitPerClient', 1, 1_000_000_000);
  integer(config.adminRateLimitPerAddress, 'adminRateLimitPerAddress', 1, 1_000_000_000);
  integer(config.ssfMaxEventAgeSeconds, 'ssfMaxEventAgeSeconds', 10, 3600);
  integer(config.ssfRetryMaxDelayMs, 'ssfRetryMaxDelayMs', 100, 600_000);
  integer(config.ssfMaxDeliveryAgeSeconds, 'ssfMaxDeliveryAgeSeconds', 60, 30 * 86_400);
  if (config.ssfTransmitterToken !== null && config.ssfTransmitterToken.length < 32) {
    throw new ConfigError('ssfTransmitterToken: must be at least 32 characters (a high-entropy secret)');
  }
  issuerIdentifier(config.issuer, 'issuer');
  // The issuer's path becomes a route prefix (RFC 8414 §3.1): plain segments only, nothing a router would decode.
  if (!/^(?:\/[A-Za-z0-9._~-]+)*\/?$/.test(new URL(config.issuer).pathname)) {
    throw new ConfigError('issuer: its path may use only letters, digits and - . _ ~ between slashes');
  }
  checkTransportSecurity(config.issuer, 'issuer', transport);
  checkAllowedHosts(config.allowedHosts, 'allowedHosts');
  checkAllowedOrigins(config.allowedOrigins, 'allowedOrigins');
  checkTrustedProxies(config.trustedProxies, 'trustedProxies');
  config.dpopRequiredClients.forEach((clientId, index) => {
    if (clientId.length === 0 || clientId.length > 255) {
      throw new ConfigError(`dpopRequiredClients[${index}]: must be a client id of 1 to 255 characters`);
    }
  });
  if (config.adminApiToken !== null && config.adminApiToken.length < 32) {
    throw new ConfigError('adminApiToken: must be at least 32 characters (a high-entropy secret)');
  }
  config.trustedIdps.forEach((idp, index) => {
    const path = `trustedIdps[${index}]`;
    validateTrustedIdp(idp, path, config.issuer);
    checkTransportSecurity(idp.issuer, `${path}.issuer`, transport);
    checkTransportSecurity(idp.jwksUri, `${path}.jwksUri`, transport);
  });
  const resources = new Map<string, ResourceSeed>();
  config.resources.forEach((resource, index) => {
    validateResource(resource, `resources[${index}]`);
    if (resource.eventsEndpoint !== undefined) {
      url(resource.eventsEndpoint, `resources[${index}].eventsEndpoint`);
      checkTransportSecurity(resource.eventsEndpoint, `resources[${index}].eventsEndpoint`, transport);
    }
    resources.set(resource.resource, resource);
  });
  config.clients.forEach((client, index) => {
    const path = `clients[${index}]`;
    if (!client.clientId) throw new ConfigError(`${path}.clientId: must not be empty`);
    client.grants.forEach((grant, grantIndex) => {
      const known = resources.get(grant.resource);
      if (!known) throw new ConfigError(`${path}.grants[${grantIndex}].resource: not a configured resource`);
      for (const scope of grant.scopes) {
        if (!known.scopes.includes(scope)) {
          throw new ConfigError(`${path}.grants[${grantIndex}].scopes: ${scope} is not a scope of ${grant.resource}`);
        }
      }
    });
  });
}

/**
 * Validates a trusted IdP entry (used for config seeds and the admin API alike).
 *
 * @throws ConfigError naming `path`.
 */
export function validateTrustedIdp(idp: TrustedIdpSeed, path: string, ownIssuer: string): void {
  issuerIdentifier(idp.issuer, `${path}.issuer`);
  // ID-JAG §4.4.1 / RFC 7523 §3: the RAS never trusts assertions claiming to come from itself.
  if (idp.issuer === ownIssuer) throw new ConfigError(`${path}.issuer: must not be this server's own issuer`);
  url(idp.jwksUri, `${path}.jwksUri`);
  if (idp.algorithms.length === 0) throw new ConfigError(`${path}.algorithms: must not be empty`);
  for (const alg of idp.algorithms) {
    // RFC 8725 §3.1: an explicit allow-list of asymmetric algorithms; never `none`, never HS*.
    if (!ASYMMETRIC_JWS_ALGORITHMS.includes(alg)) {
      throw new ConfigError(`${path}.algorithms: ${alg} is not an allowed asymmetric algorithm`);
    }
  }
  for (const tenant of idp.tenants ?? []) {
    if (!/^[\x21-\x7E]+$/.test(tenant)) throw new ConfigError(`${path}.tenants: ${tenant} is not a tenant identifier`);
  }
}

/**
 * Validates a resource entry (used for config seeds and the admin API alike).
 *
 * @throws ConfigError naming `path`.
 */
export function validateResource(resource: ResourceSeed, path: string): void {
  url(resource.resource, `${path}.resource`);
  if (new URL(resource.resource).hash) throw new ConfigError(`${path}.resource: must not have a fragment`);
  if (resource.scopes.length === 0) throw new ConfigError(`${path}.scopes: must not be empty`);
  for (const scope of resource.scopes) {
    // RFC 6749 §3.3 scope-token syntax; IdP sign-in scopes never pass to a resource (EMA §7).
    if (!/^[\x21\x23-\x5B\x5D-\x7E]+$/.test(scope)) throw new ConfigError(`${path}.scopes: ${scope} is not a scope`);
    if (IDP_ONLY_SCOPES.includes(scope)) throw new ConfigError(`${path}.scopes: ${scope} belongs to the IdP`);
  }
  for (const [index, detailType] of (resource.authorizationDetailTypes ?? []).entries()) {
    const at = `${path}.authorizationDetailTypes[${index}]`;
    if (detailType.type.length === 0) throw new ConfigError(`${at}.type: must not be empty`);
    if (detailType.actions.length === 0) throw new ConfigError(`${at}.actions: must not be empty`);
  }
}

function integer(value: number, path: string, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(`${path}: must be an integer between ${min} and ${max}`);
  }
}

function url(value: string, path: string): URL {
  if (!URL.canParse(value)) throw new ConfigError(`${path}: must be a URL`);
  return new URL(value);
}

function issuerIdentifier(value: string, path: string): void {
  const parsed = url(value, path);
  // RFC 8414 §2: an issuer has no query or fragment; this project writes issuers without a trailing slash.
  if (parsed.search || parsed.hash) throw new ConfigError(`${path}: must not have a query or fragment`);
  if (value.endsWith('/')) throw new ConfigError(`${path}: must not end with a slash`);
}
