import type { FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import type { AccessTokenPrincipal } from '../access-token-principal.js';
import { insufficientScopeRefusal } from '../bearer-refusal.js';
import { protectedResourceMetadataUrl } from '../protected-resource-metadata.js';
import { findScopeShortfall, type ScopeShortfall, type ToolScopes } from '../scope-shortfall.js';
import { requireAccessToken } from './bearer-authentication.js';
import { sendBearerRefusal } from './send-bearer-refusal.js';

/** The tool table, and who hears of refusals. */
export interface ScopeChallengeOptions {
  /** The resource identifier (the challenge's `resource_metadata` is derived from it). */
  resource: string;
  toolScopes: ToolScopes;
  /** Awaited before the `403` is sent (to audit the refusal, say); a rejection goes to the error handler. */
  onRefusal?: (request: FastifyRequest, principal: AccessTokenPrincipal, shortfall: ScopeShortfall) => Promise<void>;
}

/**
 * MCP-AUTH "Scope challenge handling": a `preHandler` that answers a `tools/call` of a tool whose scope the token
 * lacks at the HTTP layer, with `403` and `WWW-Authenticate: Bearer error="insufficient_scope", scope=...,
 * resource_metadata=...`, before the message reaches the MCP server. A client then obtains a token with the
 * challenged scopes and retries. Runs after {@link bearerAuthentication} (it needs the parsed body and the token).
 */
export function scopeChallenge(options: ScopeChallengeOptions): preHandlerAsyncHookHandler {
  const resourceMetadata = protectedResourceMetadataUrl(options.resource);
  return async (request, reply) => {
    const principal = requireAccessToken(request);
    const shortfall = findScopeShortfall(request.body, principal, options.toolScopes);
    if (shortfall === undefined) return;
    await options.onRefusal?.(request, principal, shortfall);
    return sendBearerRefusal(reply, insufficientScopeRefusal(shortfall, resourceMetadata));
  };
}
