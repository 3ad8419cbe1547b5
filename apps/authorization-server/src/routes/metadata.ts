import { oauthErrorResponseSchema } from '@ema/oauth-server/fastify';
import {
  AuthorizationServerMetadata,
  GRANT_PROFILE_ID_JAG,
  GRANT_TYPE_JWT_BEARER,
  WELL_KNOWN_OAUTH_AUTHORIZATION_SERVER,
} from '@ema/protocol';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { RasContext } from '../context.js';
import type { RegistryStorage } from '../storage/registry.js';
import { CLIENT_AUTH_METHODS, ENDPOINT_PATHS, issuerPath } from './endpoints.js';

/**
 * RFC 8414 §2 authorization server metadata of the RAS. ID-JAG §6.1: `authorization_grant_profiles_supported`
 * lists the ID-JAG profile and `grant_types_supported` the jwt-bearer grant. There is no authorization endpoint
 * (no grant here uses one), so `response_types_supported`, which RFC 8414 requires, is empty.
 */
export function authorizationServerMetadata(issuer: string, registry: RegistryStorage): AuthorizationServerMetadata {
  const scopes = new Set(registry.listResources().flatMap((resource) => resource.scopes));
  return {
    issuer,
    token_endpoint: `${issuer}${ENDPOINT_PATHS.token}`,
    jwks_uri: `${issuer}${ENDPOINT_PATHS.jwks}`,
    grant_types_supported: [GRANT_TYPE_JWT_BEARER],
    authorization_grant_profiles_supported: [GRANT_PROFILE_ID_JAG],
    token_endpoint_auth_methods_supported: [...CLIENT_AUTH_METHODS],
    response_types_supported: [],
    scopes_supported: [...scopes].sort(),
    introspection_endpoint: `${issuer}${ENDPOINT_PATHS.introspection}`,
    introspection_endpoint_auth_methods_supported: [...CLIENT_AUTH_METHODS],
    revocation_endpoint: `${issuer}${ENDPOINT_PATHS.revocation}`,
    revocation_endpoint_auth_methods_supported: [...CLIENT_AUTH_METHODS],
  };
}

/**
 * `GET /.well-known/oauth-authorization-server`, with the issuer's path appended for an issuer with a path (RFC 8414
 * §3.1: `https://as.example/tenant-a` -> `/.well-known/oauth-authorization-server/tenant-a`).
 */
export const metadataRoute: FastifyPluginAsyncTypebox<{ ctx: RasContext }> = async (app, { ctx }) => {
  app.get(
    `${WELL_KNOWN_OAUTH_AUTHORIZATION_SERVER}${issuerPath(ctx.config.issuer)}`,
    { schema: { response: { 200: AuthorizationServerMetadata, '4xx': oauthErrorResponseSchema } } },
    async (_request, reply) => {
      reply.header('Cache-Control', 'public, max-age=300');
      return authorizationServerMetadata(ctx.config.issuer, ctx.storage.registry);
    },
  );
};
