/**
 * `@ema/resource-server/fastify`: the thin Fastify adapter of the neutral core: the metadata routes, the bearer
 * authentication hook (with the `request.accessToken` decorator), the scope challenge and the step-up (RFC 9470)
 * challenge.
 */

export { type AuthenticationChallengeOptions, authenticationChallenge } from './authentication-challenge.js';
export {
  type BearerAuthenticationOptions,
  bearerAuthentication,
  requireAccessToken,
} from './bearer-authentication.js';
export { protectedResourceMetadataRoutes } from './protected-resource-metadata-routes.js';
export { type ScopeChallengeOptions, scopeChallenge } from './scope-challenge.js';
export { sendBearerRefusal } from './send-bearer-refusal.js';
