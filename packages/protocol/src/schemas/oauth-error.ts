import { type Static, Type } from '@sinclair/typebox';

/**
 * Error codes of RFC 6749 §4.1.2.1 and §5.2, RFC 8693 §2.2.2, RFC 8707 §2, RFC 6750 §3.1, RFC 7591 §3.2.2 and
 * ID-JAG §4.3.3, RFC 9396 §5, RFC 9449 §5, §7.1, §8 and §9.
 */
export const OAUTH_ERROR_CODES = [
  'invalid_request',
  'invalid_client',
  'invalid_grant',
  'unauthorized_client',
  'unsupported_grant_type',
  'invalid_scope',
  'invalid_target',
  'insufficient_user_authentication',
  'access_denied',
  'unsupported_response_type',
  'unsupported_token_type',
  'invalid_token',
  'insufficient_scope',
  'server_error',
  'temporarily_unavailable',
  'invalid_redirect_uri',
  'invalid_client_metadata',
  'invalid_authorization_details',
  'invalid_dpop_proof',
  'use_dpop_nonce',
] as const;

/** One of the OAuth error codes this project emits. */
export type OAuthErrorCode = (typeof OAUTH_ERROR_CODES)[number];

/** RFC 6749 §5.2 error response body. */
export const OAuthErrorResponse = Type.Object(
  {
    error: Type.Union(OAUTH_ERROR_CODES.map((code) => Type.Literal(code))),
    error_description: Type.Optional(Type.String()),
    error_uri: Type.Optional(Type.String()),
    max_age: Type.Optional(Type.Integer()),
    acr_values: Type.Optional(Type.String()),
  },
  { $id: 'OAuthErrorResponse' },
);
export type OAuthErrorResponse = Static<typeof OAuthErrorResponse>;
