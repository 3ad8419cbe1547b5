import type { FastifyPluginAsync } from 'fastify';
import type { RasContext } from '../context.js';
import { adminAuthHook } from './admin-auth.js';
import { auditRoutes } from './audit-routes.js';
import { clientRoutes } from './client-routes.js';
import { registryRoutes } from './registry-routes.js';
import { revocationAdminRoutes } from './revocation-admin-routes.js';

/** The admin JSON API under `/admin/api`, every route behind the admin bearer token. */
export const adminApi: FastifyPluginAsync<{ ctx: RasContext; adminApiToken: string }> = async (app, options) => {
  app.addHook('onRequest', adminAuthHook(options.adminApiToken));
  await app.register(registryRoutes, { ctx: options.ctx });
  await app.register(clientRoutes, { ctx: options.ctx });
  await app.register(auditRoutes, { ctx: options.ctx });
  await app.register(revocationAdminRoutes, { ctx: options.ctx });
};
