import { type ProtectedResourceMetadata, WELL_KNOWN_OAUTH_PROTECTED_RESOURCE } from '@ema/protocol';
import { SCOPES_SUPPORTED } from '../tools/tool-scopes.js';

/** What the metadata document is built from. */
export interface ProtectedResourceMetadataInput {
  resource: string;
  resourceName: string;
  authorizationServer: string;
}

/**
 * The RFC 9728 §2 metadata of this MCP server. MCP-AUTH: it MUST list the authorization server
 * (`authorization_servers`); the profile adds the scopes and the one bearer method supported.
 */
export function protectedResourceMetadata(input: ProtectedResourceMetadataInput): ProtectedResourceMetadata {
  return {
    resource: input.resource,
    authorization_servers: [input.authorizationServer],
    scopes_supported: [...SCOPES_SUPPORTED],
    // RFC 6750 §2.1 only: tokens in a form body or the query string are refused (MCP-AUTH).
    bearer_methods_supported: ['header'],
    resource_name: input.resourceName,
  };
}

/**
 * RFC 9728 §3.1: the metadata URL inserts the well-known segment between the host and the path of the resource
 * identifier: `http://localhost:3300/mcp` -> `http://localhost:3300/.well-known/oauth-protected-resource/mcp`.
 */
export function protectedResourceMetadataUrl(resource: string): string {
  const url = new URL(resource);
  return `${url.origin}${protectedResourceMetadataPath(resource)}`;
}

/** The path part of {@link protectedResourceMetadataUrl}. */
export function protectedResourceMetadataPath(resource: string): string {
  const { pathname } = new URL(resource);
  return pathname === '/' ? WELL_KNOWN_OAUTH_PROTECTED_RESOURCE : `${WELL_KNOWN_OAUTH_PROTECTED_RESOURCE}${pathname}`;
}
