/** Step 2a: the MCP server's protected resource metadata (RFC 9728), found from its 401 challenge. */
import { ProtectedResourceMetadata } from '@ema/protocol';
import { DiscoveryError } from '../errors.js';
import type { FetchLike } from '../http/observer.js';
import { requireSecureUrl, type TransportSecurityOptions } from '../http/transport-security.js';
import { checkWire } from '../wire/check-wire.js';
import type { BearerChallenge } from '../www-authenticate.js';
import { fetchMetadata } from './fetch-metadata.js';
import { protectedResourceMetadataCandidates } from './well-known.js';

/** Options of {@link discoverProtectedResource}. */
export interface ProtectedResourceDiscoveryOptions extends TransportSecurityOptions {
  /** The MCP server URL the client tried to reach. */
  serverUrl: string;
  /** The Bearer challenge of the server's 401, when there was one. */
  challenge?: BearerChallenge | undefined;
  fetch: FetchLike;
}

/** The checked metadata and where it was found. */
export interface DiscoveredProtectedResource {
  url: string;
  metadata: ProtectedResourceMetadata;
}

/** RFC 9728 §3.3 / §7.3: the metadata must describe exactly the resource the client asked for. */
function sameResource(a: string, b: string): boolean {
  try {
    return new URL(a).href === new URL(b).href;
  } catch {
    return false;
  }
}

/**
 * Fetches and checks the protected resource metadata: from the challenge's `resource_metadata` when the server
 * named one (RFC 9728 §5.1), else from the well-known URLs; https only (except loopback under the named opt-out).
 */
export async function discoverProtectedResource(
  options: ProtectedResourceDiscoveryOptions,
): Promise<DiscoveredProtectedResource> {
  const serverUrl = requireSecureUrl(options.serverUrl, options);
  const advertised = options.challenge?.resourceMetadata;
  const candidates = advertised
    ? [requireSecureUrl(advertised, options)]
    : protectedResourceMetadataCandidates(serverUrl);
  for (const url of candidates) {
    const answer = await fetchMetadata(options.fetch, url);
    if (!answer.ok) {
      if (answer.status === 404 && !advertised) continue;
      throw new DiscoveryError(
        'ERR_DISCOVERY_METADATA_UNAVAILABLE',
        `protected resource metadata ${url.href}: HTTP ${answer.status}`,
      );
    }
    const checked = checkWire(ProtectedResourceMetadata, answer.json);
    if (!checked.ok) {
      throw new DiscoveryError(
        'ERR_DISCOVERY_METADATA_INVALID',
        `protected resource metadata ${url.href} is invalid: ${checked.problem}`,
      );
    }
    const metadata = checked.value;
    if (metadata.authorization_servers.length === 0) {
      throw new DiscoveryError(
        'ERR_DISCOVERY_METADATA_INVALID',
        `protected resource metadata ${url.href} names no authorization server`,
      );
    }
    // RFC 9728 §3.3: a resource value other than the one we asked about means the metadata is not for it.
    if (!sameResource(metadata.resource, serverUrl.href)) {
      throw new DiscoveryError(
        'ERR_DISCOVERY_RESOURCE_MISMATCH',
        `protected resource metadata names ${metadata.resource}, not ${serverUrl.href}`,
      );
    }
    return { url: url.href, metadata };
  }
  throw new DiscoveryError(
    'ERR_DISCOVERY_METADATA_UNAVAILABLE',
    `no protected resource metadata for ${serverUrl.href}`,
  );
}
