/**
 * `@ema/ema-client/mcp-sdk`: the EMA client with the official MCP TypeScript SDK (1.x). `withMcpClient` runs
 * operations through the SDK's `Client` over Streamable HTTP, authorized by EMA in the transport's fetch (any EMA
 * RAS); `EmaOAuthClientProvider` is EMA as the SDK's own `OAuthClientProvider`, for hosts that use the SDK's `auth()`
 * (a RAS whose metadata lists `authorization_endpoint`). The only entry of this package that loads
 * `@modelcontextprotocol/sdk`.
 */
export { explainFailure, type FailureContext } from './explain-failure.js';
export { type McpSessionOptions, withMcpClient } from './mcp-session.js';
export { EmaOAuthClientProvider, type EmaOAuthClientProviderOptions } from './oauth-client-provider.js';
export { sdkDiscoveryState } from './sdk-discovery-state.js';
