import { oauthErrorResponseSchema } from '@ema/oauth-server/fastify';
import {
  AuthorizationServerMetadata,
  CLIENT_AUTH_METHOD_NONE,
  DEFAULT_ALGORITHMS,
  GRANT_PROFILE_ID_JAG,
  GRANT_TYPE_AUTHORIZATION_CODE,
  GRANT_TYPE_JWT_BEARER,
  GRANT_TYPE_REFRESH_TOKEN,
  PKCE_METHOD_S256,
  RESPONSE_TYPE_CODE,
  WELL_KNOWN_OAUTH_AUTHORIZATION_SERVER,
} from '@ema/protocol';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { RasContext } from '../context.js';
import type { InteractiveConfig } from '../interactive/interactive-config.js';
import { INTERACTIVE_PATHS } from '../interactive/interactive-routes.js';
import type { RegistryStorage } from '../storage/registry.js';
import { CLIENT_AUTH_METHODS, ENDPOINT_PATHS, issuerPath } from './endpoints.js';

/**
 * RFC 8414 §2 authorization server metadata of the RAS, listing both paths truthfully. EMA: ID-JAG §6.1
 * `authorization_grant_profiles_supported` and the jwt-bearer grant. The interactive path (MCP-AUTH 2025-11-25): the
 * authorization endpoint with `code` only and PKCE S256 only (MCP clients refuse a server without
 * `code_challenge_methods_supported`), `iss` in every authorization response (RFC 9207), the authorization code and
 * refresh token grants, public clients (`none`), Client ID Metadata Documents and, when enabled, RFC 7591
 * registration.
 */
export function authorizationServerMetadata(
  issuer: string,
  registry: RegistryStorage,
  interactive: InteractiveConfig,
): AuthorizationServerMetadata {
  const scopes = new Set(registry.listResources().flatMap((resource) => resource.scopes));
  return {
    issuer,
    authorization_endpoint: `${issuer}${INTERACTIVE_PATHS.authorization}`,
    token_endpoint: `${issuer}${ENDPOINT_PATHS.token}`,
    jwks_uri: `${issuer}${ENDPOINT_PATHS.jwks}`,
    ...(interactive.dynamicClientRegistration
      ? { registration_endpoint: `${issuer}${INTERACTIVE_PATHS.registration}` }
      : {}),
    grant_types_supported: [GRANT_TYPE_JWT_BEARER, GRANT_TYPE_AUTHORIZATION_CODE, GRANT_TYPE_REFRESH_TOKEN],
    authorization_grant_profiles_supported: [GRANT_PROFILE_ID_JAG],
    token_endpoint_auth_methods_supported: [...CLIENT_AUTH_METHODS, CLIENT_AUTH_METHOD_NONE],
    response_types_supported: [RESPONSE_TYPE_CODE],
    response_modes_supported: ['query'],
    code_challenge_methods_supported: [PKCE_METHOD_S256],
    authorization_response_iss_parameter_supported: true,
    client_id_metadata_document_supported: interactive.clientIdMetadataDocuments.enabled,
    scopes_supported: [...scopes].sort(),
    introspection_endpoint: `${issuer}${ENDPOINT_PATHS.introspection}`,
    introspection_endpoint_auth_methods_supported: [...CLIENT_AUTH_METHODS],
    revocation_endpoint: `${issuer}${ENDPOINT_PATHS.revocation}`,
    revocation_endpoint_auth_methods_supported: [...CLIENT_AUTH_METHODS],
    // RFC 9449 §5.1: DPoP proofs are accepted at the token endpoint (the access token is then DPoP-bound).
    dpop_signing_alg_values_supported: [...DEFAULT_ALGORITHMS],
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
      return authorizationServerMetadata(ctx.config.issuer, ctx.storage.registry, ctx.config.interactive);
    },
  );
};
