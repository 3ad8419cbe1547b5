/**
 * Discovery of an MCP server's authorization server: the 401 challenge, RFC 9728 protected resource metadata, then
 * RFC 8414 authorization server metadata, with the checks EMA and ID-JAG require of a client.
 */
import {
  GRANT_PROFILE_ID_JAG,
  GRANT_TYPE_JWT_BEARER,
  WELL_KNOWN_OAUTH_AUTHORIZATION_SERVER,
  WELL_KNOWN_OAUTH_PROTECTED_RESOURCE,
  WELL_KNOWN_OPENID_CONFIGURATION,
} from '@ema/protocol';
import { DiscoveryError, EmaClientError, UnknownAuthorizationServerError } from './errors.js';
import type { FetchLike } from './recorder.js';
import { requireSecureUrl, type TransportSecurityOptions } from './transport-security.js';
import type { BearerChallenge } from './www-authenticate.js';

/** The RFC 9728 members this client uses. */
export interface DiscoveredResource {
  resource: string;
  authorization_servers: string[];
  scopes_supported?: string[];
  resource_name?: string;
  [member: string]: unknown;
}

/** The RFC 8414 members this client uses. */
export interface DiscoveredAuthorizationServer {
  issuer: string;
  token_endpoint: string;
  grant_types_supported: string[];
  authorization_grant_profiles_supported?: string[];
  token_endpoint_auth_methods_supported?: string[];
  scopes_supported?: string[];
  [member: string]: unknown;
}

/** What discovery found, and where. */
export interface AuthorizationDiscovery {
  resourceMetadataUrl: string;
  protectedResource: DiscoveredResource;
  authorizationServerMetadataUrl: string;
  authorizationServer: DiscoveredAuthorizationServer;
}

/** Options of {@link discoverAuthorization}. */
export interface DiscoveryOptions extends TransportSecurityOptions {
  /** The MCP server URL the client tried to reach. */
  serverUrl: string;
  /** The Bearer challenge of the server's 401, when there was one. */
  challenge?: BearerChallenge | undefined;
  /** Fetch for the PRM (labelled as the MCP server's) and for the RAS metadata. */
  fetchResourceMetadata: FetchLike;
  fetchAuthorizationServerMetadata: FetchLike;
  /**
   * Accept a RAS whose metadata omits `authorization_grant_profiles_supported` altogether (one that lists other
   * profiles but not ID-JAG is still refused). Off by default; a named relaxation, for servers predating ID-JAG §6.1.
   */
  acceptUnadvertisedIdJagProfile?: boolean;
  /**
   * Whether this client is registered at an authorization server (exact issuer). When set, discovery picks the
   * first listed server it is registered at and never fetches metadata from the others.
   */
  isRegisteredAt?: (issuer: string) => boolean;
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}

async function fetchJson(fetchFn: FetchLike, url: URL): Promise<{ status: number; json: unknown }> {
  // A redirect is an error here, not a hop: following it would skip the https check made on `url` (RFC 9700 §4.11).
  const response = await fetchFn(url, { headers: { accept: 'application/json' }, redirect: 'manual' });
  if (!response.ok) {
    await response.body?.cancel();
    return { status: response.status, json: undefined };
  }
  try {
    return { status: response.status, json: await response.json() };
  } catch (error) {
    if (error instanceof EmaClientError) throw error;
    throw new DiscoveryError('ERR_DISCOVERY_METADATA_INVALID', `${url.href} did not return JSON`);
  }
}

/** RFC 9728 §3.1: the path-inserted well-known URL, then (MCP-AUTH) the root one. */
function protectedResourceMetadataCandidates(serverUrl: URL): URL[] {
  const path = serverUrl.pathname === '/' ? '' : serverUrl.pathname.replace(/\/$/, '');
  const inserted = new URL(`${WELL_KNOWN_OAUTH_PROTECTED_RESOURCE}${path}`, serverUrl.origin);
  const root = new URL(WELL_KNOWN_OAUTH_PROTECTED_RESOURCE, serverUrl.origin);
  return path ? [inserted, root] : [root];
}

/**
 * RFC 8414 §3.1: the well-known suffix is inserted between the host and the issuer's path. MCP-AUTH also has
 * clients try OpenID Connect discovery (inserted, then appended) when the OAuth document is absent.
 */
export function authorizationServerMetadataCandidates(issuer: URL): URL[] {
  const path = issuer.pathname === '/' ? '' : issuer.pathname.replace(/\/$/, '');
  const candidates = [new URL(`${WELL_KNOWN_OAUTH_AUTHORIZATION_SERVER}${path}`, issuer.origin)];
  candidates.push(new URL(`${WELL_KNOWN_OPENID_CONFIGURATION}${path}`, issuer.origin));
  if (path) candidates.push(new URL(`${path}${WELL_KNOWN_OPENID_CONFIGURATION}`, issuer.origin));
  return candidates;
}

/** RFC 9728 §3.3 / §7.3: the metadata must describe exactly the resource the client asked for. */
function sameResource(a: string, b: string): boolean {
  try {
    return new URL(a).href === new URL(b).href;
  } catch {
    return false;
  }
}

/** Fetches and checks the protected resource metadata (RFC 9728). */
export async function discoverProtectedResource(
  options: DiscoveryOptions,
): Promise<{ url: string; metadata: DiscoveredResource }> {
  const serverUrl = requireSecureUrl(options.serverUrl, options);
  const advertised = options.challenge?.resourceMetadata;
  const candidates = advertised
    ? [requireSecureUrl(advertised, options)]
    : protectedResourceMetadataCandidates(serverUrl);
  for (const url of candidates) {
    const { status, json } = await fetchJson(options.fetchResourceMetadata, url);
    if (json === undefined) {
      if (status === 404 && !advertised) continue;
      throw new DiscoveryError(
        'ERR_DISCOVERY_METADATA_UNAVAILABLE',
        `protected resource metadata ${url.href}: HTTP ${status}`,
      );
    }
    if (typeof json !== 'object' || json === null) {
      throw new DiscoveryError(
        'ERR_DISCOVERY_METADATA_INVALID',
        `protected resource metadata ${url.href} is not an object`,
      );
    }
    const metadata = json as Record<string, unknown>;
    const { resource, authorization_servers: servers } = metadata;
    if (typeof resource !== 'string' || !isStringArray(servers) || servers.length === 0) {
      throw new DiscoveryError(
        'ERR_DISCOVERY_METADATA_INVALID',
        `protected resource metadata ${url.href} lacks resource or authorization_servers`,
      );
    }
    // RFC 9728 §3.3: a resource value other than the one we asked about means the metadata is not for it.
    if (!sameResource(resource, serverUrl.href)) {
      throw new DiscoveryError(
        'ERR_DISCOVERY_RESOURCE_MISMATCH',
        `protected resource metadata names ${resource}, not ${serverUrl.href}`,
      );
    }
    return { url: url.href, metadata: metadata as DiscoveredResource };
  }
  throw new DiscoveryError(
    'ERR_DISCOVERY_METADATA_UNAVAILABLE',
    `no protected resource metadata for ${serverUrl.href}`,
  );
}

/** Fetches and checks the authorization server metadata (RFC 8414) of `issuer`. */
export async function discoverAuthorizationServer(
  issuer: string,
  options: DiscoveryOptions,
): Promise<{ url: string; metadata: DiscoveredAuthorizationServer }> {
  const issuerUrl = requireSecureUrl(issuer, options);
  for (const url of authorizationServerMetadataCandidates(issuerUrl)) {
    const { status, json } = await fetchJson(options.fetchAuthorizationServerMetadata, url);
    if (json === undefined) {
      if (status === 404) continue;
      throw new DiscoveryError(
        'ERR_DISCOVERY_METADATA_UNAVAILABLE',
        `authorization server metadata ${url.href}: HTTP ${status}`,
      );
    }
    if (typeof json !== 'object' || json === null) {
      throw new DiscoveryError(
        'ERR_DISCOVERY_METADATA_INVALID',
        `authorization server metadata ${url.href} is not an object`,
      );
    }
    const metadata = json as Record<string, unknown>;
    // RFC 8414 §3.3: the issuer MUST be identical to the one the metadata URL was derived from; no slash leniency.
    if (metadata.issuer !== issuer) {
      throw new DiscoveryError(
        'ERR_DISCOVERY_ISSUER_MISMATCH',
        `authorization server metadata at ${url.href} names issuer ${String(metadata.issuer)}, expected ${issuer}`,
      );
    }
    if (typeof metadata.token_endpoint !== 'string') {
      throw new DiscoveryError(
        'ERR_DISCOVERY_METADATA_INVALID',
        `authorization server ${issuer} has no token_endpoint`,
      );
    }
    requireSecureUrl(metadata.token_endpoint, options);
    checkIdJagSupport(issuer, metadata, options);
    return { url: url.href, metadata: metadata as DiscoveredAuthorizationServer };
  }
  throw new DiscoveryError('ERR_DISCOVERY_METADATA_UNAVAILABLE', `no authorization server metadata for ${issuer}`);
}

/** ID-JAG §6.1 and RFC 7523: the RAS must take ID-JAGs through the jwt-bearer grant. */
function checkIdJagSupport(issuer: string, metadata: Record<string, unknown>, options: DiscoveryOptions): void {
  const grants = metadata.grant_types_supported;
  // RFC 8414 §2: absent means ["authorization_code", "implicit"], so no jwt-bearer.
  if (!isStringArray(grants) || !grants.includes(GRANT_TYPE_JWT_BEARER)) {
    throw new DiscoveryError(
      'ERR_DISCOVERY_ID_JAG_UNSUPPORTED',
      `authorization server ${issuer} does not offer the jwt-bearer grant`,
    );
  }
  const profiles = metadata.authorization_grant_profiles_supported;
  if (profiles === undefined && options.acceptUnadvertisedIdJagProfile === true) return;
  if (!isStringArray(profiles) || !profiles.includes(GRANT_PROFILE_ID_JAG)) {
    throw new DiscoveryError(
      'ERR_DISCOVERY_ID_JAG_UNSUPPORTED',
      `authorization server ${issuer} does not list the ID-JAG grant profile`,
    );
  }
}

/**
 * RFC 9728 §2 / MCP-AUTH "Authorization Server Location": the client chooses among `authorization_servers`. This
 * host takes the first it holds credentials for, so a list that starts with a server it does not know (even a
 * hostile one) is neither contacted nor a reason to fail; with none known it refuses before any request.
 */
export function chooseAuthorizationServer(servers: readonly string[], options: DiscoveryOptions): string {
  const registered = options.isRegisteredAt;
  if (!registered) return servers[0] ?? '';
  const known = servers.find((issuer) => registered(issuer));
  if (known === undefined) throw new UnknownAuthorizationServerError(servers[0] ?? '');
  return known;
}

/**
 * The whole discovery: PRM from the challenge's `resource_metadata` (or the well-known fallbacks), the
 * authorization server chosen from it ({@link chooseAuthorizationServer}), then that server's metadata.
 */
export async function discoverAuthorization(options: DiscoveryOptions): Promise<AuthorizationDiscovery> {
  const resource = await discoverProtectedResource(options);
  const issuer = chooseAuthorizationServer(resource.metadata.authorization_servers, options);
  const server = await discoverAuthorizationServer(issuer, options);
  return {
    resourceMetadataUrl: resource.url,
    protectedResource: resource.metadata,
    authorizationServerMetadataUrl: server.url,
    authorizationServer: server.metadata,
  };
}
