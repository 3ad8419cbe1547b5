/**
 * Per-operation scope checks (RFC 6750 §3.1 `insufficient_scope`), and the MCP case: the `tools/call` requests of
 * a JSON-RPC body checked against a table of the scopes each tool needs.
 */
import type { AccessTokenPrincipal } from './access-token-principal.js';
import { calledTools } from './tool-calls.js';

/** Operations a token may not perform, and what to ask for instead. */
export interface ScopeShortfall {
  /** The operations (tool names) the request attempts that need a scope the token lacks. */
  operations: string[];
  /** The scopes the token lacks. */
  missing: string[];
  /**
   * The `scope` of the `insufficient_scope` challenge. MCP-AUTH "Scope challenge handling", recommended approach:
   * the scopes already granted (of those this resource knows) plus the newly required ones, so that a client that
   * re-authorizes with exactly this value does not lose what it could already do.
   */
  challengeScope: string[];
}

/** The scopes of a resource and which tool needs which. */
export interface ToolScopes {
  /** RFC 9728 §2 `scopes_supported`, in the order challenges list them. */
  scopesSupported: readonly string[];
  /** The scopes each tool needs (`[]`: any valid token). A tool not listed is left to the MCP server to refuse. */
  tools: Readonly<Record<string, readonly string[]>>;
}

/**
 * Checks what one request attempts against the token's scopes.
 *
 * @param attempts each operation with the scopes it needs.
 * @param scopesSupported the resource's scopes, in the order the challenge lists them.
 * @returns `undefined` when the token has every scope needed.
 */
export function scopeShortfall(
  principal: AccessTokenPrincipal,
  attempts: readonly { operation: string; scopes: readonly string[] }[],
  scopesSupported: readonly string[],
): ScopeShortfall | undefined {
  const operations: string[] = [];
  const needed = new Set<string>();
  for (const { operation, scopes } of attempts) {
    const missing = principal.missingScopes(scopes);
    if (missing.length === 0) continue;
    operations.push(operation);
    for (const scope of missing) needed.add(scope);
  }
  if (operations.length === 0) return undefined;
  const granted = principal.scopes.filter((scope) => scopesSupported.includes(scope));
  return {
    operations,
    missing: inOrder(needed, scopesSupported),
    challengeScope: inOrder(new Set([...granted, ...needed]), scopesSupported),
  };
}

/**
 * Looks into a JSON-RPC request body (one message or a batch) for `tools/call` requests of tools whose scopes the
 * token lacks. Other methods and tools the table does not list are left to the MCP server, which answers them.
 */
export function findScopeShortfall(
  body: unknown,
  principal: AccessTokenPrincipal,
  toolScopes: ToolScopes,
): ScopeShortfall | undefined {
  const attempts: { operation: string; scopes: readonly string[] }[] = [];
  for (const tool of calledTools(body)) {
    // An own property only: a tool named `constructor` or `__proto__` is not in the table.
    if (!Object.hasOwn(toolScopes.tools, tool)) continue;
    attempts.push({ operation: tool, scopes: toolScopes.tools[tool] ?? [] });
  }
  return scopeShortfall(principal, attempts, toolScopes.scopesSupported);
}

/** `scopes` in the order of `order`, then any not in it in their own order. */
function inOrder(scopes: ReadonlySet<string>, order: readonly string[]): string[] {
  const known = order.filter((scope) => scopes.has(scope));
  return [...known, ...[...scopes].filter((scope) => !order.includes(scope))];
}
