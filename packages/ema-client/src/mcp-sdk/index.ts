/**
 * `@ema/ema-client/mcp-sdk`: the EMA client with the official MCP TypeScript SDK (1.x): `withMcpClient` runs
 * operations through the SDK's `Client` over Streamable HTTP, authorized by EMA. The only entry of this package that
 * loads `@modelcontextprotocol/sdk`.
 */
export { explainFailure, type FailureContext } from './explain-failure.js';
export { type McpSessionOptions, withMcpClient } from './mcp-session.js';
