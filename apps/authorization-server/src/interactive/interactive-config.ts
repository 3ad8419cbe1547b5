/**
 * Configuration of the interactive path (authorization code + PKCE for MCP clients without EMA): how this server
 * signs users in at the enterprise IdP (as its OIDC relying party, and the client the IdP mints ID-JAGs for by
 * identity chaining), lifetimes, and how clients register. Defaults: the demo world (docs/demo-world.md).
 */
import { ConfigError, checkTransportSecurity } from '@ema/oauth-server/runtime';

/** This server's registration at the enterprise IdP. */
export interface SignInConfig {
  /** The IdP's issuer; it must be one of the trusted IdPs (its ID-JAGs are verified like any other). */
  issuer: string;
  /**
   * This server's client id at the IdP. It is also the `client_id` the IdP puts in the ID-JAGs it issues to this
   * server about itself (the IdP maps this client, at this server's issuer, to the same id), so no client of this
   * server may be registered under it.
   */
  clientId: string;
  clientSecret: string;
}

/** The validated interactive-path configuration. */
export interface InteractiveConfig {
  signIn: SignInConfig;
  /** How long a user has between the client's authorization request and the consent answer. */
  authorizationRequestTtlSeconds: number;
  /** RFC 6749 §4.1.2: short-lived codes (at most 10 minutes recommended). */
  authorizationCodeTtlSeconds: number;
  /** Lifetime of each refresh token (a new one on every use). */
  refreshTokenTtlSeconds: number;
  /** RFC 7591 `/register` open to any client. */
  dynamicClientRegistration: boolean;
  /** Client ID Metadata Documents: fetch limits and cache bound. */
  clientIdMetadataDocuments: { enabled: boolean; timeoutMs: number; maxBytes: number; maxCacheSeconds: number };
  /**
   * RFC 6749 §3.3: what an authorization request that names no scope asks for, of the scopes its resource defines
   * (none of them defined there: all of that resource's scopes). Default `tickets.read`, least privilege, as the MCP
   * server's own 401 challenge names: a client that needs writing asks for it, and then for the sign-in it needs.
   */
  defaultScopes: readonly string[];
}

/** What `env.ts` or a test may override; `signIn.issuer` defaults to the first trusted IdP. */
export type InteractiveConfigInput = {
  [K in Exclude<keyof InteractiveConfig, 'signIn' | 'clientIdMetadataDocuments'>]?: InteractiveConfig[K] | undefined;
} & {
  signIn?: Loose<SignInConfig> | undefined;
  clientIdMetadataDocuments?: Loose<InteractiveConfig['clientIdMetadataDocuments']> | undefined;
};

/** Every member optional, `undefined` meaning "the default". */
type Loose<T> = { [K in keyof T]?: T[K] | undefined };

/** docs/demo-world.md: the RAS's registration at the demo IdP (development secret, loopback only). */
export const DEMO_SIGN_IN = { clientId: 'acme-ras', clientSecret: 'acme-ras-dev-secret' } as const;

const DEFAULTS = {
  authorizationRequestTtlSeconds: 600,
  authorizationCodeTtlSeconds: 60,
  refreshTokenTtlSeconds: 8 * 3600,
  dynamicClientRegistration: true,
  defaultScopes: ['tickets.read'],
  clientIdMetadataDocuments: { enabled: true, timeoutMs: 5000, maxBytes: 5120, maxCacheSeconds: 86_400 },
} as const;

/** The members that are set (not `undefined`), so that spreading them never overwrites a default with nothing. */
function defined<T extends object>(input: T | undefined): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(input ?? {}).filter(([, value]) => value !== undefined)) as {
    [K in keyof T]?: Exclude<T[K], undefined>;
  };
}

/**
 * Merges overrides onto the defaults and validates them.
 *
 * @throws ConfigError naming the offending option path.
 */
export function resolveInteractiveConfig(
  input: InteractiveConfigInput | undefined,
  context: { trustedIdpIssuers: readonly string[]; clientIds: readonly string[]; allowInsecureLoopback: boolean },
): InteractiveConfig {
  const { signIn: _signIn, clientIdMetadataDocuments: _documents, ...given } = defined(input);
  const signIn: SignInConfig = {
    issuer: context.trustedIdpIssuers[0] ?? '',
    ...DEMO_SIGN_IN,
    ...defined(input?.signIn),
  };
  const config: InteractiveConfig = {
    ...DEFAULTS,
    ...given,
    signIn,
    clientIdMetadataDocuments: { ...DEFAULTS.clientIdMetadataDocuments, ...defined(input?.clientIdMetadataDocuments) },
  };
  const path = 'interactive';
  if (!context.trustedIdpIssuers.includes(signIn.issuer)) {
    throw new ConfigError(`${path}.signIn.issuer: must be one of the trusted IdPs (its ID-JAGs are verified here)`);
  }
  checkTransportSecurity(signIn.issuer, `${path}.signIn.issuer`, {
    allowInsecureLoopback: context.allowInsecureLoopback,
  });
  if (signIn.clientId === '') throw new ConfigError(`${path}.signIn.clientId: must not be empty`);
  if (context.clientIds.includes(signIn.clientId)) {
    throw new ConfigError(`${path}.signIn.clientId: a client of this server is registered under this id`);
  }
  if (signIn.clientSecret.length < 16)
    throw new ConfigError(`${path}.signIn.clientSecret: must be at least 16 characters`);
  integer(config.authorizationRequestTtlSeconds, `${path}.authorizationRequestTtlSeconds`, 60, 3600);
  integer(config.authorizationCodeTtlSeconds, `${path}.authorizationCodeTtlSeconds`, 1, 600);
  integer(config.refreshTokenTtlSeconds, `${path}.refreshTokenTtlSeconds`, 60, 90 * 86_400);
  const documents = config.clientIdMetadataDocuments;
  integer(documents.timeoutMs, `${path}.clientIdMetadataDocuments.timeoutMs`, 100, 30_000);
  integer(documents.maxBytes, `${path}.clientIdMetadataDocuments.maxBytes`, 512, 1_048_576);
  integer(documents.maxCacheSeconds, `${path}.clientIdMetadataDocuments.maxCacheSeconds`, 0, 7 * 86_400);
  return config;
}

function integer(value: number, path: string, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(`${path}: must be an integer between ${min} and ${max}`);
  }
}
