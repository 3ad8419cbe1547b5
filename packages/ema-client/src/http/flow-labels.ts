/** The labels under which the client reports its exchanges, in the flow's words (see {@link ExchangeLabel}). */
import type { ExchangeLabel } from './observer.js';

/** Step 2: the MCP server's protected resource metadata. */
export const PROTECTED_RESOURCE_METADATA: ExchangeLabel = {
  step: 'discovery',
  party: 'mcp',
  title: 'Protected resource metadata (RFC 9728)',
};

/** Step 2: the RAS metadata. */
export const AUTHORIZATION_SERVER_METADATA: ExchangeLabel = {
  step: 'discovery',
  party: 'ras',
  title: 'Authorization server metadata (RFC 8414)',
};

/** Step 3: the ID-JAG from the IdP. */
export const TOKEN_EXCHANGE: ExchangeLabel = {
  step: 'token-exchange',
  party: 'idp',
  title: 'Token exchange at the IdP (RFC 8693)',
};

/** Step 4: the access token from the RAS. */
export const JWT_BEARER_GRANT: ExchangeLabel = {
  step: 'jwt-bearer',
  party: 'ras',
  title: 'JWT bearer grant at the RAS (RFC 7523)',
};

/**
 * A request to the MCP server: the first one, sent without a token to learn the challenge, belongs to discovery
 * (MCP-AUTH); the others are MCP calls, titled by their JSON-RPC method when the body has one.
 */
export function mcpRequestLabel(url: URL, serverUrl: URL, init: RequestInit | undefined): ExchangeLabel {
  const authorized = new Headers(init?.headers).has('authorization');
  if (!authorized && url.href === serverUrl.href) {
    return { step: 'discovery', party: 'mcp', title: 'MCP request without a token: the 401 challenge (MCP-AUTH)' };
  }
  return { step: 'mcp', party: 'mcp', title: `MCP ${describeMcpRequest(init)}` };
}

function describeMcpRequest(init: RequestInit | undefined): string {
  const method = init?.method ?? 'GET';
  if (typeof init?.body !== 'string') return method;
  try {
    const message: unknown = JSON.parse(init.body);
    if (typeof message === 'object' && message !== null && 'method' in message && typeof message.method === 'string') {
      return `${method} ${message.method}`;
    }
  } catch {
    // Not JSON-RPC: described by its HTTP method alone.
  }
  return method;
}
