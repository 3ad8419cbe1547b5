/**
 * The client's own checked discovery, as the MCP SDK's `OAuthDiscoveryState`. The documents are parsed with the
 * SDK's own exported schemas (no cast): what the SDK is handed is exactly what its types promise.
 */
import type { OAuthDiscoveryState } from '@modelcontextprotocol/sdk/client/auth.js';
import { OAuthMetadataSchema, OAuthProtectedResourceMetadataSchema } from '@modelcontextprotocol/sdk/shared/auth.js';
import type { AuthorizationDiscovery } from '../discovery/discover-authorization.js';
import { DiscoveryError } from '../errors.js';

/** The first problem zod reports, as `member: message`. */
function firstIssue(error: { issues: ReadonlyArray<{ path: readonly PropertyKey[]; message: string }> }): string {
  const [issue] = error.issues;
  if (issue === undefined) return 'invalid';
  return `${issue.path.map(String).join('.') || '(document)'}: ${issue.message}`;
}

/**
 * Maps a checked discovery to the SDK's discovery state. The SDK's `OAuthMetadata` requires
 * `authorization_endpoint` and `response_types_supported`, which RFC 8414 §2 asks of an authorization server only
 * where a grant uses the authorization endpoint: an EMA-only RAS may rightly omit them, and then the SDK's `auth()`
 * cannot be used with it (`ERR_DISCOVERY_SDK_UNSUPPORTED`; `withMcpClient` works with any EMA RAS).
 */
export function sdkDiscoveryState(discovery: AuthorizationDiscovery): OAuthDiscoveryState {
  const issuer = discovery.authorizationServer.issuer;
  const metadata = OAuthMetadataSchema.safeParse(discovery.authorizationServer);
  if (!metadata.success) {
    throw new DiscoveryError(
      'ERR_DISCOVERY_SDK_UNSUPPORTED',
      `the MCP SDK's auth() cannot use the metadata of ${issuer} (${firstIssue(metadata.error)}); use withMcpClient`,
    );
  }
  const resource = OAuthProtectedResourceMetadataSchema.safeParse(discovery.protectedResource);
  if (!resource.success) {
    throw new DiscoveryError(
      'ERR_DISCOVERY_SDK_UNSUPPORTED',
      `the MCP SDK's auth() cannot use the protected resource metadata at ${discovery.resourceMetadataUrl} ` +
        `(${firstIssue(resource.error)}); use withMcpClient`,
    );
  }
  return {
    authorizationServerUrl: issuer,
    resourceMetadataUrl: discovery.resourceMetadataUrl,
    resourceMetadata: resource.data,
    authorizationServerMetadata: metadata.data,
  };
}
