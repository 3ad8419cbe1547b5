import { type ProtectedResourceMetadata, WELL_KNOWN_OAUTH_PROTECTED_RESOURCE } from '@ema/protocol';

/** What the metadata document is built from. */
export interface ProtectedResourceMetadataInput {
  /** The resource identifier (RFC 8707): the `aud` of its tokens, the URL clients call. */
  resource: string;
  /** The issuer of the one authorization server that issues tokens for this resource. */
  authorizationServer: string;
  /** RFC 9728 §2 `scopes_supported`, in the order challenges list them. */
  scopesSupported: readonly string[];
  /** RFC 9728 §2 `resource_name`, shown to people. */
  resourceName?: string;
  /** RFC 9449 via RFC 9728 §2: the proof algorithms accepted, and whether only DPoP-bound tokens are. */
  dpop?: { algorithms: readonly string[]; required: boolean };
}

/**
 * The RFC 9728 §2 metadata of a resource. MCP-AUTH: it MUST list the authorization server
 * (`authorization_servers`); the profile adds the scopes and the one bearer method supported.
 */
export function protectedResourceMetadata(input: ProtectedResourceMetadataInput): ProtectedResourceMetadata {
  return {
    resource: input.resource,
    authorization_servers: [input.authorizationServer],
    scopes_supported: [...input.scopesSupported],
    // RFC 6750 §2.1 only: tokens in a form body or the query string are refused (MCP-AUTH).
    bearer_methods_supported: ['header'],
    ...(input.resourceName === undefined ? {} : { resource_name: input.resourceName }),
    ...(input.dpop === undefined
      ? {}
      : {
          dpop_signing_alg_values_supported: [...input.dpop.algorithms],
          // RFC 9728 §2: listed where configured; absent means false.
          ...(input.dpop.required ? { dpop_bound_access_tokens_required: true } : {}),
        }),
  };
}

/**
 * RFC 9728 §3.1: the metadata URL inserts the well-known segment between the host and the path of the resource
 * identifier: `http://localhost:3300/mcp` -> `http://localhost:3300/.well-known/oauth-protected-resource/mcp`. This is
 * the `resource_metadata` of every challenge (RFC 9728 §5.1).
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

/**
 * Both paths the metadata is served at: the path-inserted one of RFC 9728 §3.1 (what challenges point to) and the
 * root `/.well-known/oauth-protected-resource`, which MCP-AUTH clients fall back to when a challenge carries no
 * `resource_metadata`. One path when the resource identifier has no path.
 */
export function protectedResourceMetadataPaths(resource: string): string[] {
  return [...new Set([protectedResourceMetadataPath(resource), WELL_KNOWN_OAUTH_PROTECTED_RESOURCE])];
}
