import { SCOPES_SUPPORTED, scopesForTool } from '../tools/tool-scopes.js';
import type { AccessTokenPrincipal } from './access-token-principal.js';

/** A JSON-RPC `tools/call` the token may not make, and what to ask for instead. */
export interface ScopeShortfall {
  /** The tools the request calls that need a scope the token lacks. */
  tools: string[];
  /** The scopes the token lacks. */
  missing: string[];
  /**
   * The `scope` of the `insufficient_scope` challenge. MCP-AUTH "Scope challenge handling", recommended approach:
   * the scopes already granted (of those this resource knows) plus the newly required ones, so that a client that
   * re-authorizes with exactly this value does not lose what it could already do.
   */
  challengeScope: string[];
}

/**
 * Looks into a JSON-RPC request body (one message or a batch) for `tools/call` requests of our tools whose scope
 * the token lacks. Unknown tools and other methods are left to the MCP server, which answers them itself.
 */
export function findScopeShortfall(body: unknown, token: AccessTokenPrincipal): ScopeShortfall | undefined {
  const messages = Array.isArray(body) ? body : [body];
  const tools: string[] = [];
  const needed = new Set<string>();
  for (const message of messages) {
    const tool = calledTool(message);
    if (tool === undefined) continue;
    const missing = token.missingScopes(scopesForTool(tool) ?? []);
    if (missing.length === 0) continue;
    tools.push(tool);
    for (const scope of missing) needed.add(scope);
  }
  if (tools.length === 0) return undefined;
  const wanted = new Set([...token.scopes, ...needed]);
  return {
    tools,
    missing: SCOPES_SUPPORTED.filter((scope) => needed.has(scope)),
    challengeScope: SCOPES_SUPPORTED.filter((scope) => wanted.has(scope)),
  };
}

function calledTool(message: unknown): string | undefined {
  if (typeof message !== 'object' || message === null) return undefined;
  const { method, params } = message as { method?: unknown; params?: unknown };
  if (method !== 'tools/call' || typeof params !== 'object' || params === null) return undefined;
  const { name } = params as { name?: unknown };
  return typeof name === 'string' ? name : undefined;
}
