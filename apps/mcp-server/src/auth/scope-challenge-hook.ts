import { InsufficientScopeError } from '@ema/oauth-server';
import type { preHandlerAsyncHookHandler } from 'fastify';
import type { McpAudit } from '../audit/mcp-audit.js';
import { requireAccessToken } from './bearer-authentication.js';
import { findScopeShortfall } from './insufficient-scope.js';
import { formatBearerChallenge } from './www-authenticate.js';

/**
 * MCP-AUTH "Scope challenge handling": a `tools/call` of a tool whose scope the token lacks is answered at the HTTP
 * layer with `403` and `WWW-Authenticate: Bearer error="insufficient_scope", scope=..., resource_metadata=...`,
 * before the message reaches the MCP server. A client (the agent host, the SDK's transport) then obtains a token
 * with the challenged scopes and retries the same request on the same session.
 */
export function scopeChallengeHook(options: { resourceMetadata: string; audit: McpAudit }): preHandlerAsyncHookHandler {
  return async (request, reply) => {
    const token = requireAccessToken(request);
    const shortfall = findScopeShortfall(request.body, token);
    if (shortfall === undefined) return;
    // Committed before the 403 leaves (a failed commit becomes a 500 through the error boundary).
    await Promise.all(
      shortfall.tools.map((tool) =>
        options.audit.toolCall({
          tool,
          caller: token,
          outcome: 'deny',
          reason: 'insufficient_scope',
          details: { missing_scopes: shortfall.missing },
        }),
      ),
    );
    const error = new InsufficientScopeError(
      `${shortfall.tools.join(', ')} requires the scope ${shortfall.missing.join(' ')}`,
    );
    const challenge = formatBearerChallenge({
      error: error.error,
      ...(error.description === undefined ? {} : { errorDescription: error.description }),
      resourceMetadata: options.resourceMetadata,
      scope: shortfall.challengeScope.join(' '),
    });
    return reply.code(error.status).header('www-authenticate', challenge).send(error.toResponseBody());
  };
}
