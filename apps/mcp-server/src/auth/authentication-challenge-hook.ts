import type { ToolAuthentication } from '@ema/resource-server';
import { authenticationChallenge } from '@ema/resource-server/fastify';
import type { preHandlerAsyncHookHandler } from 'fastify';
import type { McpAudit } from '../audit/mcp-audit.js';
import { TICKETS_TOOL_SCOPES } from '../tools/tool-scopes.js';

/**
 * RFC 9470 for Acme Tickets: `authenticationChallenge` of `@ema/resource-server` over the configured requirements
 * (`toolAuthentication`), answering a `tools/call` whose token's sign-in is too weak or too old with `401
 * insufficient_user_authentication` (`acr_values`, `max_age`) before the message reaches the MCP server. Each
 * refused call is audited as a denial first, so the 401 never leaves unrecorded.
 */
export function authenticationChallengeHook(options: {
  resource: string;
  toolAuthentication: ToolAuthentication;
  audit: McpAudit;
  now?: () => Date;
}): preHandlerAsyncHookHandler {
  return authenticationChallenge({
    resource: options.resource,
    toolScopes: TICKETS_TOOL_SCOPES,
    toolAuthentication: options.toolAuthentication,
    ...(options.now === undefined ? {} : { now: options.now }),
    onRefusal: async (_request, caller, shortfall) => {
      await Promise.all(
        shortfall.operations.map((tool) =>
          options.audit.toolCall({
            tool,
            caller,
            outcome: 'deny',
            reason: 'insufficient_user_authentication',
            details: {
              acr: caller.acr ?? null,
              acr_values: shortfall.acrValues ?? null,
              max_age: shortfall.maxAgeSeconds ?? null,
            },
          }),
        ),
      );
    },
  });
}
