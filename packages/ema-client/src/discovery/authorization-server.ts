/** Step 2b: the RAS metadata (RFC 8414), with the checks ID-JAG requires of a client before it sends anything. */
import { GRANT_PROFILE_ID_JAG, GRANT_TYPE_JWT_BEARER, ReceivedAuthorizationServerMetadata } from '@ema/protocol';
import { DiscoveryError } from '../errors.js';
import type { FetchLike } from '../http/observer.js';
import { requireSecureUrl, type TransportSecurityOptions } from '../http/transport-security.js';
import { checkWire } from '../wire/check-wire.js';
import { fetchMetadata } from './fetch-metadata.js';
import { authorizationServerMetadataCandidates } from './well-known.js';

/** Options of {@link discoverAuthorizationServer}. */
export interface AuthorizationServerDiscoveryOptions extends TransportSecurityOptions {
  fetch: FetchLike;
  /**
   * Accept a RAS whose metadata omits `authorization_grant_profiles_supported` altogether (one that lists other
   * profiles but not ID-JAG is still refused). Off by default; a named relaxation, for servers predating ID-JAG §6.1.
   */
  acceptUnadvertisedIdJagProfile?: boolean;
}

/** The checked metadata and where it was found. */
export interface DiscoveredAuthorizationServer {
  url: string;
  metadata: ReceivedAuthorizationServerMetadata;
}

/** ID-JAG §6.1 and RFC 7523: the RAS must take ID-JAGs through the jwt-bearer grant. */
function checkIdJagSupport(
  metadata: ReceivedAuthorizationServerMetadata,
  options: AuthorizationServerDiscoveryOptions,
): void {
  // RFC 8414 §2: an absent grant_types_supported means ["authorization_code", "implicit"], so no jwt-bearer.
  if (!metadata.grant_types_supported?.includes(GRANT_TYPE_JWT_BEARER)) {
    throw new DiscoveryError(
      'ERR_DISCOVERY_ID_JAG_UNSUPPORTED',
      `authorization server ${metadata.issuer} does not offer the jwt-bearer grant`,
    );
  }
  const profiles = metadata.authorization_grant_profiles_supported;
  if (profiles === undefined && options.acceptUnadvertisedIdJagProfile === true) return;
  if (!profiles?.includes(GRANT_PROFILE_ID_JAG)) {
    throw new DiscoveryError(
      'ERR_DISCOVERY_ID_JAG_UNSUPPORTED',
      `authorization server ${metadata.issuer} does not list the ID-JAG grant profile`,
    );
  }
}

/**
 * Fetches and checks the metadata of `issuer`: the exact issuer (RFC 8414 §3.3), an https token endpoint, the
 * jwt-bearer grant and the ID-JAG profile.
 */
export async function discoverAuthorizationServer(
  issuer: string,
  options: AuthorizationServerDiscoveryOptions,
): Promise<DiscoveredAuthorizationServer> {
  const issuerUrl = requireSecureUrl(issuer, options);
  for (const url of authorizationServerMetadataCandidates(issuerUrl)) {
    const answer = await fetchMetadata(options.fetch, url);
    if (!answer.ok) {
      if (answer.status === 404) continue;
      throw new DiscoveryError(
        'ERR_DISCOVERY_METADATA_UNAVAILABLE',
        `authorization server metadata ${url.href}: HTTP ${answer.status}`,
      );
    }
    const checked = checkWire(ReceivedAuthorizationServerMetadata, answer.json);
    if (!checked.ok) {
      throw new DiscoveryError(
        'ERR_DISCOVERY_METADATA_INVALID',
        `authorization server metadata ${url.href} is invalid: ${checked.problem}`,
      );
    }
    const metadata = checked.value;
    // RFC 8414 §3.3: the issuer MUST be identical to the one the metadata URL was derived from; no slash leniency.
    if (metadata.issuer !== issuer) {
      throw new DiscoveryError(
        'ERR_DISCOVERY_ISSUER_MISMATCH',
        `authorization server metadata at ${url.href} names issuer ${metadata.issuer}, expected ${issuer}`,
      );
    }
    requireSecureUrl(metadata.token_endpoint, options);
    checkIdJagSupport(metadata, options);
    return { url: url.href, metadata };
  }
  throw new DiscoveryError('ERR_DISCOVERY_METADATA_UNAVAILABLE', `no authorization server metadata for ${issuer}`);
}
