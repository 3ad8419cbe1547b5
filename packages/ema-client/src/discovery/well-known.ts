/** Where metadata documents live: the well-known URLs a client derives from an identifier. */
import {
  WELL_KNOWN_OAUTH_AUTHORIZATION_SERVER,
  WELL_KNOWN_OAUTH_PROTECTED_RESOURCE,
  WELL_KNOWN_OPENID_CONFIGURATION,
} from '@ema/protocol';

function pathOf(url: URL): string {
  return url.pathname === '/' ? '' : url.pathname.replace(/\/$/, '');
}

/** RFC 9728 §3.1: the path-inserted well-known URL, then (MCP-AUTH) the root one. */
export function protectedResourceMetadataCandidates(serverUrl: URL): URL[] {
  const path = pathOf(serverUrl);
  const root = new URL(WELL_KNOWN_OAUTH_PROTECTED_RESOURCE, serverUrl.origin);
  return path ? [new URL(`${WELL_KNOWN_OAUTH_PROTECTED_RESOURCE}${path}`, serverUrl.origin), root] : [root];
}

/**
 * RFC 8414 §3.1: the well-known suffix is inserted between the host and the issuer's path. MCP-AUTH also has
 * clients try OpenID Connect discovery (inserted, then appended) when the OAuth document is absent.
 */
export function authorizationServerMetadataCandidates(issuer: URL): URL[] {
  const path = pathOf(issuer);
  const candidates = [new URL(`${WELL_KNOWN_OAUTH_AUTHORIZATION_SERVER}${path}`, issuer.origin)];
  candidates.push(new URL(`${WELL_KNOWN_OPENID_CONFIGURATION}${path}`, issuer.origin));
  if (path) candidates.push(new URL(`${path}${WELL_KNOWN_OPENID_CONFIGURATION}`, issuer.origin));
  return candidates;
}
