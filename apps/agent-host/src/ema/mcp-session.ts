/**
 * Runs MCP operations through the SDK's `Client` and `StreamableHTTPClientTransport`, authorized by EMA, and turns
 * whatever goes wrong into an {@link EmaClientError} a person can be told about.
 */

import { parseScope } from '@ema/protocol';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport, StreamableHTTPError } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { OAuthError } from '@modelcontextprotocol/sdk/server/auth/errors.js';
import { EmaClientError, GrantRefusedError, InsufficientScopeError, UnreachableError } from './errors.js';
import { rasTokenError } from './jwt-bearer.js';
import { EmaOAuthClientProvider } from './oauth-client-provider.js';
import type { ServerAuthorization } from './server-authorization.js';

/** Options of {@link withMcpClient}. */
export interface McpSessionOptions {
  clientName?: string;
  clientVersion?: string;
  /** Observes attempts at an interactive flow (there must be none). */
  onInteractiveAttempt?: () => void;
}

/**
 * Connects to the MCP server (the 401 starts discovery and the grant), runs `operation`, and closes. Errors are
 * explained by {@link explainFailure}.
 */
export async function withMcpClient<T>(
  authorization: ServerAuthorization,
  operation: (client: Client) => Promise<T>,
  options: McpSessionOptions = {},
): Promise<T> {
  const provider = new EmaOAuthClientProvider(
    authorization,
    options.onInteractiveAttempt ? { onInteractiveAttempt: options.onInteractiveAttempt } : {},
  );
  const transport = new StreamableHTTPClientTransport(new URL(authorization.serverUrl), {
    authProvider: provider,
    fetch: authorization.transportFetch,
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

/** Maps an SDK or network failure to a typed error of the core (our own errors pass through). */
export function explainFailure(authorization: ServerAuthorization, error: unknown): unknown {
  if (error instanceof EmaClientError) return error;
  const challenge = authorization.lastChallenge;
  if (error instanceof StreamableHTTPError) {
    if (error.code === 403 && challenge?.error === 'insufficient_scope') {
      const held = authorization.client.cache.last(authorization.user.key, authorization.serverUrl)?.scopes ?? [];
      return new InsufficientScopeError(parseScope(challenge.scope), held);
    }
    if (error.code === 401)
      return new GrantRefusedError('mcp', challenge?.error ?? 'invalid_token', challenge?.errorDescription);
    const status = error.code ?? 0;
    if (status >= 500 || status === 404) {
      return new UnreachableError('mcp', new URL(authorization.serverUrl).origin, `HTTP ${status}`);
    }
  }
  // An OAuth error answer of the RAS token endpoint, parsed by the SDK on the auth() path.
  if (error instanceof OAuthError) return rasTokenError(error.errorCode, error.message || undefined);
  return error;
}
