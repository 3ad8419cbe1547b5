/**
 * Step 2 as a whole: from the MCP server's 401 challenge to the checked metadata of the authorization server the
 * client will use (RFC 9728, then RFC 8414).
 */
import type { ProtectedResourceMetadata, ReceivedAuthorizationServerMetadata } from '@ema/protocol';
import { UnknownAuthorizationServerError } from '../errors.js';
import type { FetchLike } from '../http/observer.js';
import type { TransportSecurityOptions } from '../http/transport-security.js';
import type { BearerChallenge } from '../www-authenticate.js';
import { discoverAuthorizationServer } from './authorization-server.js';
import { discoverProtectedResource } from './protected-resource.js';

/** What discovery found, and where. */
export interface AuthorizationDiscovery {
  resourceMetadataUrl: string;
  protectedResource: ProtectedResourceMetadata;
  authorizationServerMetadataUrl: string;
  authorizationServer: ReceivedAuthorizationServerMetadata;
}

/** Options of {@link discoverAuthorization}. */
export interface DiscoveryOptions extends TransportSecurityOptions {
  /** The MCP server URL the client tried to reach. */
  serverUrl: string;
  /** The Bearer challenge of the server's 401, when there was one. */
  challenge?: BearerChallenge | undefined;
  /** Fetch for the PRM (the MCP server's) and for the RAS metadata. */
  fetchResourceMetadata: FetchLike;
  fetchAuthorizationServerMetadata: FetchLike;
  /** See {@link AuthorizationServerDiscoveryOptions.acceptUnadvertisedIdJagProfile}. */
  acceptUnadvertisedIdJagProfile?: boolean;
  /**
   * Whether this client is registered at an authorization server (exact issuer). When set, discovery picks the
   * first listed server it is registered at and never fetches metadata from the others.
   */
  isRegisteredAt?: (issuer: string) => boolean;
}

/**
 * RFC 9728 §2 / MCP-AUTH "Authorization Server Location": the client chooses among `authorization_servers`. It
 * takes the first it is registered at, so a list that starts with a server it does not know (even a hostile one)
 * is neither contacted nor a reason to fail; registered at none, it refuses before any request.
 */
export function chooseAuthorizationServer(
  servers: readonly string[],
  options: Pick<DiscoveryOptions, 'isRegisteredAt'>,
): string {
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
  const { allowInsecureLoopback } = options;
  const resource = await discoverProtectedResource({
    serverUrl: options.serverUrl,
    challenge: options.challenge,
    allowInsecureLoopback,
    fetch: options.fetchResourceMetadata,
  });
  const issuer = chooseAuthorizationServer(resource.metadata.authorization_servers, options);
  const server = await discoverAuthorizationServer(issuer, {
    allowInsecureLoopback,
    fetch: options.fetchAuthorizationServerMetadata,
    ...(options.acceptUnadvertisedIdJagProfile === true ? { acceptUnadvertisedIdJagProfile: true } : {}),
  });
  return {
    resourceMetadataUrl: resource.url,
    protectedResource: resource.metadata,
    authorizationServerMetadataUrl: server.url,
    authorizationServer: server.metadata,
  };
}
