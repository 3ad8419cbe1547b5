import type { FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import type { AccessTokenPrincipal } from '../access-token-principal.js';
import {
  type AuthenticationShortfall,
  findAuthenticationShortfall,
  type ToolAuthentication,
} from '../authentication-requirement.js';
import { insufficientUserAuthenticationRefusal } from '../bearer-refusal.js';
import { protectedResourceMetadataUrl } from '../protected-resource-metadata.js';
import type { ToolScopes } from '../scope-shortfall.js';
import { calledTools } from '../tool-calls.js';
import { requireAccessToken } from './bearer-authentication.js';
import { sendBearerRefusal } from './send-bearer-refusal.js';

/** The tools' authentication requirements, and who hears of refusals. */
export interface AuthenticationChallengeOptions {
  /** The resource identifier (the challenge's `resource_metadata` is derived from it). */
  resource: string;
  /** What each tool requires of the sign-in behind the token (RFC 9470). */
  toolAuthentication: ToolAuthentication;
  /** The scope table: the challenge's `scope` is what the token holds plus what the attempted tools need. */
  toolScopes: ToolScopes;
  /** Awaited before the `401` is sent (to audit the refusal, say); a rejection goes to the error handler. */
  onRefusal?: (
    request: FastifyRequest,
    principal: AccessTokenPrincipal,
    shortfall: AuthenticationShortfall,
  ) => Promise<void>;
  /** The clock (default: the system clock). */
  now?: () => Date;
}

/**
 * RFC 9470 §3 for MCP: a `preHandler` that answers a `tools/call` of a tool whose authentication requirement the
 * token does not meet (its `acr` not acceptable, or its `auth_time` too old) with `401` and `WWW-Authenticate:
 * Bearer error="insufficient_user_authentication", acr_values=..., max_age=...`, before the message reaches the MCP
 * server. Runs after {@link bearerAuthentication} and, when both are used, after `scopeChallenge` (a missing scope
 * is asked for first: getting it may already take the user through the stronger sign-in).
 */
export function authenticationChallenge(options: AuthenticationChallengeOptions): preHandlerAsyncHookHandler {
  const resourceMetadata = protectedResourceMetadataUrl(options.resource);
  const { scopesSupported, tools } = options.toolScopes;
  return async (request, reply) => {
    const principal = requireAccessToken(request);
    const now = Math.floor((options.now?.() ?? new Date()).getTime() / 1000);
    const shortfall = findAuthenticationShortfall(request.body, principal, options.toolAuthentication, now);
    if (shortfall === undefined) return;
    await options.onRefusal?.(request, principal, shortfall);
    const attempted = calledTools(request.body).flatMap((tool) =>
      Object.hasOwn(tools, tool) ? (tools[tool] ?? []) : [],
    );
    const wanted = new Set([...principal.scopes, ...attempted]);
    const scope = [
      ...scopesSupported.filter((item) => wanted.has(item)),
      ...[...wanted].filter((item) => !scopesSupported.includes(item)),
    ];
    return sendBearerRefusal(
      reply,
      insufficientUserAuthenticationRefusal(shortfall, { resourceMetadata, scope: scope.join(' ') }),
    );
  };
}
