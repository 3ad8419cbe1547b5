import { type Static, Type } from '@sinclair/typebox';

/**
 * What a client accepts from servers it does not run: each document as its RFC lets ANY server send it. Members
 * the RFC makes optional stay optional, and unknown members and error codes are allowed, where the shapes beside
 * this file describe what this project's own servers send. Conforming proves the shape only: the client still makes
 * the protocol's checks (exact issuer, grant support, token types) itself.
 */

const Strings = Type.Array(Type.String());

/**
 * RFC 8414 §2 authorization server metadata as a client of the token endpoint reads it. `issuer` is REQUIRED;
 * `token_endpoint` is REQUIRED unless the server supports only the implicit grant, so a client of any grant at the
 * token endpoint requires it; `authorization_endpoint` is optional (REQUIRED only where a grant uses it, and the
 * jwt-bearer grant does not); `grant_types_supported` is optional (absent means authorization code and implicit).
 */
export const ReceivedAuthorizationServerMetadata = Type.Object(
  {
    issuer: Type.String(),
    token_endpoint: Type.String(),
    authorization_endpoint: Type.Optional(Type.String()),
    grant_types_supported: Type.Optional(Strings),
    token_endpoint_auth_methods_supported: Type.Optional(Strings),
    scopes_supported: Type.Optional(Strings),
    /** ID-JAG §6.1: the grant profiles the server accepts. */
    authorization_grant_profiles_supported: Type.Optional(Strings),
  },
  { additionalProperties: true },
);
export type ReceivedAuthorizationServerMetadata = Static<typeof ReceivedAuthorizationServerMetadata>;

/**
 * RFC 6749 §5.2 error response as a client reads it: `error` is any code, since the set is extensible (RFC 6749
 * §8.5 registry), plus the re-authentication hints of ID-JAG §4.3.3 (`max_age`, `acr_values`, RFC 9470 §3).
 */
export const ReceivedOAuthError = Type.Object({
  error: Type.String(),
  error_description: Type.Optional(Type.String()),
  error_uri: Type.Optional(Type.String()),
  max_age: Type.Optional(Type.Integer({ minimum: 0 })),
  acr_values: Type.Optional(Type.String()),
});
export type ReceivedOAuthError = Static<typeof ReceivedOAuthError>;
