import fastifyRateLimit, { normalizeIP } from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';

/** A fixed-window limit: at most `max` requests per `windowSeconds` for one key. */
export interface RateLimit {
  readonly max: number;
  readonly windowSeconds: number;
}

/** What a {@link RateLimiter} says of a request over its limit. */
export interface RateLimitExceeded {
  /** Seconds until the window ends (the `Retry-After` to send). */
  readonly retryAfterSeconds: number;
}

/**
 * Counts one request against its key (by default its address; IPv6 addresses by /64) and says whether it is over the
 * limit. The caller answers: an OAuth endpoint with `RateLimitExceededError`, the MCP endpoint in JSON-RPC.
 */
export type RateLimiter = (request: FastifyRequest, key?: string) => Promise<RateLimitExceeded | undefined>;

/**
 * A limiter with its own counters, on `@fastify/rate-limit` (registered into `fastify` on first use, limiting no
 * route by itself). Counters live in this process's memory (an LRU of the 5000 most recent keys): several
 * instances behind a load balancer each count their own share; plug a shared store there.
 * With `key` given, a request is counted under that key (a client id, a token subject) instead of its address.
 */
export async function createRateLimiter(fastify: FastifyInstance, limit: RateLimit): Promise<RateLimiter> {
  if (!fastify.hasDecorator('createRateLimit')) await fastify.register(fastifyRateLimit, { global: false });
  // The key of each request as the caller names it; the plugin's key generator reads it back.
  const keys = new WeakMap<FastifyRequest, string>();
  const addressKey = (request: FastifyRequest): string => `address:${normalizeIP(request.ip)}`;
  const check = fastify.createRateLimit({
    max: limit.max,
    timeWindow: limit.windowSeconds * 1000,
    keyGenerator: (request) => keys.get(request) ?? addressKey(request),
  });
  return async (request, key) => {
    keys.set(request, key === undefined ? addressKey(request) : `key:${key}`);
    const verdict = await check(request);
    if (verdict.isAllowed || !verdict.isExceeded) return undefined;
    return { retryAfterSeconds: Math.max(1, verdict.ttlInSeconds) };
  };
}
