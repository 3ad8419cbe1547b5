import { type AuthorizationServerMetadata, GRANT_PROFILE_ID_JAG, GRANT_TYPE_JWT_BEARER } from '@ema/protocol';
import { ENDPOINT_PATHS, type ExampleConfig } from './config.js';

/** The client authentication methods of the token endpoint (RFC 6749 §2.3.1). */
export const CLIENT_AUTH_METHODS = ['client_secret_basic', 'client_secret_post'] as const;

/**
 * RFC 8414 §2 authorization server metadata. ID-JAG §6.1: `grant_types_supported` lists the jwt-bearer grant and
 * `authorization_grant_profiles_supported` the ID-JAG profile, which is how a client learns it may send ID-JAGs here.
 * No grant uses an authorization endpoint, so `response_types_supported` (required by RFC 8414) is empty.
 */
export function authorizationServerMetadata(config: ExampleConfig): AuthorizationServerMetadata {
  return {
    issuer: config.issuer,
    token_endpoint: `${config.issuer}${ENDPOINT_PATHS.token}`,
    jwks_uri: `${config.issuer}${ENDPOINT_PATHS.jwks}`,
    grant_types_supported: [GRANT_TYPE_JWT_BEARER],
    authorization_grant_profiles_supported: [GRANT_PROFILE_ID_JAG],
    token_endpoint_auth_methods_supported: [...CLIENT_AUTH_METHODS],
    response_types_supported: [],
    scopes_supported: [...config.scopes],
  };
}
