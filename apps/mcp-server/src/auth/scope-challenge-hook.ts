import { scopeChallenge } from '@ema/resource-server/fastify';
import type { preHandlerAsyncHookHandler } from 'fastify';
import type { McpAudit } from '../audit/mcp-audit.js';
import { TICKETS_TOOL_SCOPES } from '../tools/tool-scopes.js';

/**
 * MCP-AUTH "Scope challenge handling" for Acme Tickets: `scopeChallenge` of `@ema/resource-server` over the tool
 * table, answering a `tools/call` whose scope the token lacks with `403 insufficient_scope` before the message
 * reaches the MCP server. Each refused call is audited as a denial first (a failed commit becomes a 500 through the
 * error handler), so the 403 never leaves unrecorded.
 */
export function scopeChallengeHook(options: { resource: string; audit: McpAudit }): preHandlerAsyncHookHandler {
  return scopeChallenge({
    resource: options.resource,
    toolScopes: TICKETS_TOOL_SCOPES,
    onRefusal: async (_request, caller, shortfall) => {
      await Promise.all(
        shortfall.operations.map((tool) =>
          options.audit.toolCall({
            tool,
            caller,
            outcome: 'deny',
            reason: 'insufficient_scope',
            details: { missing_scopes: shortfall.missing },
          }),
        ),
      );
    },
  });
}
