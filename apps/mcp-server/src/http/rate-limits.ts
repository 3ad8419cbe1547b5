/**
 * The MCP endpoint's rate limits (@fastify/rate-limit through the kit's runtime): per address, counted before the
 * token is verified, so a flood costs no signature check; per access-token subject, counted once the token is
 * verified, so one person's agents cannot crowd out everyone else's behind a shared address (an agent host). Over a
 * limit: `429` with `Retry-After` and the transport's JSON-RPC error shape.
 */
import { createRateLimiter, type RateLimitExceeded, type RateLimiter } from '@ema/oauth-server/runtime';
import type { FastifyInstance, FastifyReply, FastifyRequest, onRequestAsyncHookHandler } from 'fastify';
import { JSON_RPC_SERVER_ERROR, jsonRpcError } from '../mcp/json-rpc-error.js';

/** Requests per minute. */
export interface McpRateLimits {
  rateLimitPerAddress: number;
  rateLimitPerSubject: number;
}

/** The hooks of {@link mcpRateLimitHooks}. */
export interface McpRateLimitHooks {
  /** Add before bearer authentication. */
  perAddress: onRequestAsyncHookHandler;
  /** Add after bearer authentication (it reads `request.accessToken`). */
  perSubject: onRequestAsyncHookHandler;
}

function refuse(reply: FastifyReply, request: FastifyRequest, exceeded: RateLimitExceeded, by: string): FastifyReply {
  // Info, not warn: under a flood this line repeats for every refused request.
  request.log.info(`MCP endpoint: rate limit per ${by} exceeded`);
  return reply
    .code(429)
    .header('retry-after', String(exceeded.retryAfterSeconds))
    .send(jsonRpcError(JSON_RPC_SERVER_ERROR, 'Too Many Requests: rate limit exceeded'));
}

function hook(
  limit: RateLimiter,
  by: string,
  key: (request: FastifyRequest) => string | undefined | null,
): onRequestAsyncHookHandler {
  return async (request, reply) => {
    // `undefined`: count by address; `null`: nothing to count by.
    const counted = key(request);
    if (counted === null) return;
    const exceeded = await limit(request, counted);
    if (exceeded !== undefined) return refuse(reply, request, exceeded, by);
  };
}

/** Builds the two limiters of the MCP endpoint (each with its own counters) as `onRequest` hooks. */
export async function mcpRateLimitHooks(app: FastifyInstance, limits: McpRateLimits): Promise<McpRateLimitHooks> {
  const perAddress = await createRateLimiter(app, { max: limits.rateLimitPerAddress, windowSeconds: 60 });
  const perSubject = await createRateLimiter(app, { max: limits.rateLimitPerSubject, windowSeconds: 60 });
  return {
    perAddress: hook(perAddress, 'address', () => undefined),
    perSubject: hook(perSubject, 'subject', (request) =>
      request.accessToken === null ? null : `sub:${request.accessToken.subject}`,
    ),
  };
}
