import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { IdpContext } from '../idp-context.js';
import { consoleDirectoryRoutes } from './console/console-directory-routes.js';
import { consolePolicyRoutes } from './console/console-policy-routes.js';

/** The admin console at `/admin` (server-rendered HTML for members of `it-admins`, behind the IdP's own SSO). */
export const adminConsoleRoutes: FastifyPluginAsyncTypebox<{ context: IdpContext }> = async (fastify, { context }) => {
  await fastify.register(consoleDirectoryRoutes, { context });
  await fastify.register(consolePolicyRoutes, { context });
};
