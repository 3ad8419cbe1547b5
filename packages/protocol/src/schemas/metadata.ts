import { type Static, Type } from '@sinclair/typebox';

const Strings = Type.Array(Type.String());

/** RFC 8414 §2 authorization server metadata, with the fields ID-JAG §6 and OIDC Discovery add. */
export const AuthorizationServerMetadata = Type.Object(
  {
    issuer: Type.String(),
    authorization_endpoint: Type.Optional(Type.String()),
    token_endpoint: Type.String(),
    jwks_uri: Type.String(),
    userinfo_endpoint: Type.Optional(Type.String()),
    end_session_endpoint: Type.Optional(Type.String()),
    introspection_endpoint: Type.Optional(Type.String()),
    revocation_endpoint: Type.Optional(Type.String()),
    scopes_supported: Type.Optional(Strings),
    response_types_supported: Type.Optional(Strings),
    response_modes_supported: Type.Optional(Strings),
    grant_types_supported: Strings,
    subject_types_supported: Type.Optional(Strings),
    id_token_signing_alg_values_supported: Type.Optional(Strings),
    token_endpoint_auth_methods_supported: Strings,
    introspection_endpoint_auth_methods_supported: Type.Optional(Strings),
    revocation_endpoint_auth_methods_supported: Type.Optional(Strings),
    code_challenge_methods_supported: Type.Optional(Strings),
    claims_supported: Type.Optional(Strings),
    /** OIDC Discovery §3: the authentication context class references (`acr`) the IdP supports. */
    acr_values_supported: Type.Optional(Strings),
    /** OIDC Discovery / Initiating User Registration: the `prompt` values the authorization endpoint honours. */
    prompt_values_supported: Type.Optional(Strings),
    /** RFC 9207 §3: the authorization response carries `iss`. */
    authorization_response_iss_parameter_supported: Type.Optional(Type.Boolean()),
    /** ID-JAG §6.1: grant profiles the authorization server accepts (the RAS lists the ID-JAG profile). */
    authorization_grant_profiles_supported: Type.Optional(Strings),
    /** ID-JAG §6.2: token types the IdP can issue by token exchange for identity chaining. */
    identity_chaining_requested_token_types_supported: Type.Optional(Strings),
    /** RFC 7591 §3 / RFC 8414 §2: where clients register dynamically. */
    registration_endpoint: Type.Optional(Type.String()),
    /** MCP-AUTH (2025-11-25) "Client ID Metadata Documents": an HTTPS URL is accepted as `client_id`. */
    client_id_metadata_document_supported: Type.Optional(Type.Boolean()),
    /** RFC 9449 §5.1: the JWS algorithms the server accepts in DPoP proofs (present: the server supports DPoP). */
    dpop_signing_alg_values_supported: Type.Optional(Strings),
  },
  { additionalProperties: true },
);
export type AuthorizationServerMetadata = Static<typeof AuthorizationServerMetadata>;

/** RFC 9728 §2 protected resource metadata. */
export const ProtectedResourceMetadata = Type.Object(
  {
    resource: Type.String(),
    authorization_servers: Strings,
    scopes_supported: Type.Optional(Strings),
    bearer_methods_supported: Type.Optional(Strings),
    resource_name: Type.Optional(Type.String()),
    resource_documentation: Type.Optional(Type.String()),
    /** RFC 9728 §2: the resource accepts DPoP-bound access tokens only (RFC 9449). */
    dpop_bound_access_tokens_required: Type.Optional(Type.Boolean()),
    /** RFC 9728 §2: the JWS algorithms the resource accepts in DPoP proofs. */
    dpop_signing_alg_values_supported: Type.Optional(Strings),
  },
  { additionalProperties: true },
);
export type ProtectedResourceMetadata = Static<typeof ProtectedResourceMetadata>;

/** RFC 7517 §5: a JWK Set. Published sets hold public keys only. */
export const JsonWebKeySet = Type.Object({ keys: Type.Array(Type.Record(Type.String(), Type.Unknown())) });
export type JsonWebKeySet = Static<typeof JsonWebKeySet>;
