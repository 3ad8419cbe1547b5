import {
  AuthorizationServerMetadata,
  DEFAULT_ALGORITHMS,
  GRANT_TYPE_AUTHORIZATION_CODE,
  GRANT_TYPE_REFRESH_TOKEN,
  GRANT_TYPE_TOKEN_EXCHANGE,
  TOKEN_TYPE_ID_JAG,
  WELL_KNOWN_OAUTH_AUTHORIZATION_SERVER,
  WELL_KNOWN_OPENID_CONFIGURATION,
} from '@ema/protocol';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { IdpContext } from '../idp-context.js';
import { ACR_VALUES_SUPPORTED } from '../oidc/authentication-context.js';
import { PKCE_METHOD_S256, SUPPORTED_CLAIMS, SUPPORTED_SCOPES } from '../oidc/supported-values.js';
import { ENDPOINT_PATHS, endpointUrl } from './endpoint-paths.js';

/** The discovery document: OIDC Discovery §3 and RFC 8414 §2, plus ID-JAG §6.2's identity chaining field. */
export function discoveryDocument(issuer: string) {
  const url = (path: string) => endpointUrl(issuer, path);
  const authMethods = ['client_secret_basic', 'client_secret_post'];
  return {
    issuer,
    authorization_endpoint: url(ENDPOINT_PATHS.authorization),
    token_endpoint: url(ENDPOINT_PATHS.token),
    userinfo_endpoint: url(ENDPOINT_PATHS.userinfo),
    jwks_uri: url(ENDPOINT_PATHS.jwks),
    end_session_endpoint: url(ENDPOINT_PATHS.logout),
    scopes_supported: [...SUPPORTED_SCOPES],
    response_types_supported: ['code'],
    response_modes_supported: ['query'],
    grant_types_supported: [GRANT_TYPE_AUTHORIZATION_CODE, GRANT_TYPE_REFRESH_TOKEN, GRANT_TYPE_TOKEN_EXCHANGE],
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: [...DEFAULT_ALGORITHMS],
    token_endpoint_auth_methods_supported: authMethods,
    code_challenge_methods_supported: [PKCE_METHOD_S256],
    claims_supported: [...SUPPORTED_CLAIMS],
    // OIDC Discovery §3: the classes `acr_values` may ask for (an unsupported one is refused at /authorize).
    acr_values_supported: [...ACR_VALUES_SUPPORTED],
    prompt_values_supported: ['none', 'login', 'consent', 'select_account'],
    // RFC 9207 §3: the authorization response carries `iss`.
    authorization_response_iss_parameter_supported: true,
    identity_chaining_requested_token_types_supported: [TOKEN_TYPE_ID_JAG],
    // RFC 9449 §5.1: DPoP proofs are accepted at the token endpoint (the ID-JAG is then bound to the key).
    dpop_signing_alg_values_supported: [...DEFAULT_ALGORITHMS],
  };
}

/** Serves the discovery document at both well-known paths (OIDC Discovery §4, RFC 8414 §3). */
export const discoveryRoutes: FastifyPluginAsyncTypebox<{ context: IdpContext }> = async (fastify, { context }) => {
  const document = discoveryDocument(context.config.issuer);
  for (const path of [WELL_KNOWN_OPENID_CONFIGURATION, WELL_KNOWN_OAUTH_AUTHORIZATION_SERVER]) {
    fastify.get(path, { schema: { response: { 200: AuthorizationServerMetadata } } }, async (_request, reply) => {
      reply.header('cache-control', 'public, max-age=300');
      return document;
    });
  }
};
