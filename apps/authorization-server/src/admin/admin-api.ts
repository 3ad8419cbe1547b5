import { RateLimitExceededError } from '@ema/oauth-server';
import { createRateLimiter } from '@ema/oauth-server/runtime';
import type { FastifyPluginAsync } from 'fastify';
import type { RasContext } from '../context.js';
import { adminAuthHook } from './admin-auth.js';
import { auditRoutes } from './audit-routes.js';
import { clientRoutes } from './client-routes.js';
import { registryRoutes } from './registry-routes.js';
import { revocationAdminRoutes } from './revocation-admin-routes.js';

/** Options of {@link adminApi}. */
export interface AdminApiOptions {
  ctx: RasContext;
  adminApiToken: string;
  /** Requests per minute from one address. */
  rateLimitPerAddress: number;
}

/**
 * The admin JSON API under `/admin/api`, every route behind the admin bearer token, and a rate limit per address
 * counted first (token guesses get few tries).
 */
export const adminApi: FastifyPluginAsync<AdminApiOptions> = async (app, options) => {
  const limit = await createRateLimiter(app, { max: options.rateLimitPerAddress, windowSeconds: 60 });
  app.addHook('onRequest', async (request) => {
    const exceeded = await limit(request);
    if (exceeded !== undefined) throw new RateLimitExceededError(exceeded.retryAfterSeconds);
  });
  app.addHook('onRequest', adminAuthHook(options.adminApiToken));
  await app.register(registryRoutes, { ctx: options.ctx });
  await app.register(clientRoutes, { ctx: options.ctx });
  await app.register(auditRoutes, { ctx: options.ctx });
  await app.register(revocationAdminRoutes, { ctx: options.ctx });
};
