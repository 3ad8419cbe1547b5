/**
 * Runs MCP operations through the SDK's `Client` and `StreamableHTTPClientTransport`, authorized by EMA, and turns
 * whatever goes wrong into an `EmaClientError` a person can be told about.
 *
 * The transport gets the action's {@link ServerAuthorization.fetch}, which presents the access token and answers
 * the server's 401 and 403 challenges itself, and NO `authProvider`, so it works with any EMA RAS: the SDK's `auth()`
 * needs the RAS metadata typed as the SDK's `OAuthMetadata`, which requires `authorization_endpoint`, and an EMA-only
 * RAS may rightly have none (RFC 8414 §2: required only where a grant uses it). Without a provider the SDK also has
 * no way to start an interactive authorization, which EMA forbids. A host that prefers the SDK's `auth()` uses
 * `EmaOAuthClientProvider` instead, with a RAS that lists `authorization_endpoint`.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { ServerAuthorization } from '../server-authorization.js';
import { explainFailure } from './explain-failure.js';

/** Options of {@link withMcpClient}. */
export interface McpSessionOptions {
  /** The MCP `clientInfo` (default `ema-agent-host` 0.1.0). */
  clientName?: string;
  clientVersion?: string;
}

/**
 * Connects to the MCP server (its 401 starts discovery and the grant), runs `operation`, and closes. Errors are
 * explained by {@link explainFailure}.
 */
export async function withMcpClient<T>(
  authorization: ServerAuthorization,
  operation: (client: Client) => Promise<T>,
  options: McpSessionOptions = {},
): Promise<T> {
  const transport = new StreamableHTTPClientTransport(new URL(authorization.serverUrl), {
    fetch: authorization.fetch,
  });
  const client = new Client({
    name: options.clientName ?? 'ema-agent-host',
    version: options.clientVersion ?? '0.1.0',
  });
  try {
    await client.connect(transport);
    return await operation(client);
  } catch (error) {
    throw explainFailure(authorization, error);
  } finally {
    // MCP Streamable HTTP: end the server-side session; a server without sessions answers 405, which is fine.
    await transport.terminateSession().catch(() => undefined);
    await client.close().catch(() => undefined);
  }
}
