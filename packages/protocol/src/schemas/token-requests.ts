import { type Static, Type } from '@sinclair/typebox';
import { AuthorizationDetails } from './authorization-details.js';

/** RFC 8693 §2.1 token-exchange request, as profiled by ID-JAG §4.3. */
export const TokenExchangeRequest = Type.Object({
  grant_type: Type.String(),
  requested_token_type: Type.String(),
  audience: Type.String(),
  resource: Type.Optional(Type.String()),
  scope: Type.Optional(Type.String()),
  subject_token: Type.String(),
  subject_token_type: Type.String(),
  actor_token: Type.Optional(Type.String()),
  actor_token_type: Type.Optional(Type.String()),
});
export type TokenExchangeRequest = Static<typeof TokenExchangeRequest>;

/** RFC 8693 §2.2.1 token-exchange response carrying an ID-JAG (ID-JAG §4.3.2). */
export const TokenExchangeResponse = Type.Object({
  issued_token_type: Type.String(),
  access_token: Type.String(),
  token_type: Type.String(),
  expires_in: Type.Integer(),
  scope: Type.Optional(Type.String()),
});
export type TokenExchangeResponse = Static<typeof TokenExchangeResponse>;

/** RFC 7523 §2.1 jwt-bearer grant request, as profiled by ID-JAG §4.4. */
export const JwtBearerRequest = Type.Object({
  grant_type: Type.String(),
  assertion: Type.String(),
  scope: Type.Optional(Type.String()),
  resource: Type.Optional(Type.String()),
  /** RFC 9396 §6.2: JSON text of the authorization details wanted (at most what the ID-JAG grants). */
  authorization_details: Type.Optional(Type.String()),
});
export type JwtBearerRequest = Static<typeof JwtBearerRequest>;

/** RFC 6749 §4.1.3 authorization code token request (with the PKCE verifier, RFC 7636 §4.5). */
export const AuthorizationCodeTokenRequest = Type.Object({
  grant_type: Type.String(),
  code: Type.String(),
  redirect_uri: Type.String(),
  code_verifier: Type.String(),
  client_id: Type.Optional(Type.String()),
});
export type AuthorizationCodeTokenRequest = Static<typeof AuthorizationCodeTokenRequest>;

/** RFC 6749 §6 refresh token request. */
export const RefreshTokenRequest = Type.Object({
  grant_type: Type.String(),
  refresh_token: Type.String(),
  scope: Type.Optional(Type.String()),
});
export type RefreshTokenRequest = Static<typeof RefreshTokenRequest>;

/**
 * The jwt-bearer grant's answer (ID-JAG §4.4.2): a Bearer access token, its lifetime and scope, no refresh token;
 * `authorization_details` as granted when the ID-JAG carried some (RFC 9396 §7, ID-JAG §4.4.1).
 */
export const AccessTokenResponse = Type.Object({
  access_token: Type.String(),
  token_type: Type.String(),
  expires_in: Type.Optional(Type.Integer()),
  scope: Type.Optional(Type.String()),
  authorization_details: Type.Optional(AuthorizationDetails),
});
export type AccessTokenResponse = Static<typeof AccessTokenResponse>;

/**
 * RFC 6749 §5.1 answer of the authorization code and refresh token grants at the RAS: a Bearer access token
 * audience-restricted to one resource (RFC 8707), its lifetime and scope, and a refresh token when the client
 * registered the `refresh_token` grant (rotated on every use, RFC 9700 §4.14.2).
 */
export const AuthorizationCodeTokenResponse = Type.Object({
  access_token: Type.String(),
  token_type: Type.String(),
  expires_in: Type.Integer(),
  scope: Type.String(),
  refresh_token: Type.Optional(Type.String()),
});
export type AuthorizationCodeTokenResponse = Static<typeof AuthorizationCodeTokenResponse>;

/** OIDC Core §3.1.3.3 token response of the authorization code and refresh token grants. */
export const OidcTokenResponse = Type.Object({
  access_token: Type.String(),
  token_type: Type.String(),
  expires_in: Type.Integer(),
  id_token: Type.String(),
  refresh_token: Type.Optional(Type.String()),
  scope: Type.Optional(Type.String()),
});
export type OidcTokenResponse = Static<typeof OidcTokenResponse>;

/**
 * RFC 6749 §5.1 successful token response: every member any grant of this project answers with, so one response
 * schema serializes them all. Each grant's own shape is above.
 */
export const TokenResponse = Type.Object({
  access_token: Type.String(),
  token_type: Type.String(),
  expires_in: Type.Optional(Type.Integer()),
  scope: Type.Optional(Type.String()),
  refresh_token: Type.Optional(Type.String()),
  id_token: Type.Optional(Type.String()),
  issued_token_type: Type.Optional(Type.String()),
  authorization_details: Type.Optional(AuthorizationDetails),
});
export type TokenResponse = Static<typeof TokenResponse>;

/** RFC 7662 §2.2 introspection response. */
export const IntrospectionResponse = Type.Object({
  active: Type.Boolean(),
  scope: Type.Optional(Type.String()),
  client_id: Type.Optional(Type.String()),
  username: Type.Optional(Type.String()),
  token_type: Type.Optional(Type.String()),
  exp: Type.Optional(Type.Integer()),
  iat: Type.Optional(Type.Integer()),
  nbf: Type.Optional(Type.Integer()),
  sub: Type.Optional(Type.String()),
  aud: Type.Optional(Type.Union([Type.String(), Type.Array(Type.String())])),
  iss: Type.Optional(Type.String()),
  jti: Type.Optional(Type.String()),
  /** RFC 9396 §9.2: the authorization details the token carries. */
  authorization_details: Type.Optional(AuthorizationDetails),
  /** RFC 9449 §6.2: the DPoP key a bound token is bound to. */
  cnf: Type.Optional(Type.Object({ jkt: Type.Optional(Type.String()) })),
});
export type IntrospectionResponse = Static<typeof IntrospectionResponse>;
