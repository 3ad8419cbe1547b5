import { type Static, Type } from '@sinclair/typebox';
import { AuthorizationDetails } from './authorization-details.js';

const NumericDate = Type.Integer({ minimum: 0, description: 'Seconds since the epoch (RFC 7519 §2)' });
const Audience = Type.Union([Type.String(), Type.Array(Type.String(), { minItems: 1 })]);

/** RFC 7800 confirmation claim, as used for DPoP binding (RFC 9449 §6). */
export const Confirmation = Type.Object({ jkt: Type.Optional(Type.String()) });

/** ID-JAG §3: the claims of an Identity Assertion JWT Authorization Grant. */
export const IdJagClaims = Type.Object({
  iss: Type.String(),
  sub: Type.String(),
  aud: Audience,
  client_id: Type.String(),
  jti: Type.String(),
  iat: NumericDate,
  exp: NumericDate,
  nbf: Type.Optional(NumericDate),
  resource: Type.Optional(Type.Union([Type.String(), Type.Array(Type.String())])),
  scope: Type.Optional(Type.String()),
  /** RFC 9396 §2, ID-JAG §3.1: the rich authorization the IdP granted; the RAS honours it or refuses the grant. */
  authorization_details: Type.Optional(AuthorizationDetails),
  /** RFC 8693 §4.1: an actor acting for `sub`; ID-JAG defines no processing for it, so this RAS refuses it. */
  act: Type.Optional(Type.Object({ sub: Type.Optional(Type.String()) }, { additionalProperties: true })),
  auth_time: Type.Optional(NumericDate),
  acr: Type.Optional(Type.String()),
  amr: Type.Optional(Type.Array(Type.String())),
  email: Type.Optional(Type.String()),
  name: Type.Optional(Type.String()),
  /** OIDC Core §2 / Front-Channel Logout §3: the IdP session the grant comes from, so revoking it reaches the chain. */
  sid: Type.Optional(Type.String()),
  tenant: Type.Optional(Type.String()),
  aud_tenant: Type.Optional(Type.String()),
  aud_sub: Type.Optional(Type.String()),
  cnf: Type.Optional(Confirmation),
});
export type IdJagClaims = Static<typeof IdJagClaims>;

/** RFC 9068 §2.2: the claims of a JWT access token, plus the ID-JAG reference this project adds. */
export const AccessTokenClaims = Type.Object({
  iss: Type.String(),
  sub: Type.String(),
  aud: Audience,
  client_id: Type.String(),
  jti: Type.String(),
  iat: NumericDate,
  exp: NumericDate,
  scope: Type.Optional(Type.String()),
  auth_time: Type.Optional(NumericDate),
  acr: Type.Optional(Type.String()),
  amr: Type.Optional(Type.Array(Type.String())),
  email: Type.Optional(Type.String()),
  name: Type.Optional(Type.String()),
  /** The `jti` of the ID-JAG this token was issued for, so a tool call traces back to the IdP decision. */
  id_jag_jti: Type.Optional(Type.String()),
  /** The issuer of that ID-JAG (the enterprise IdP). */
  id_jag_iss: Type.Optional(Type.String()),
  /** The IdP session (`sid` of the ID-JAG) the token descends from: a revoked session revokes it. */
  sid: Type.Optional(Type.String()),
  /** RFC 9396 §9.1: the authorization details granted; the resource server enforces them per operation. */
  authorization_details: Type.Optional(AuthorizationDetails),
  /** RFC 9449 §6.1: the DPoP key the token is bound to (`jkt`, its RFC 7638 thumbprint). */
  cnf: Type.Optional(Confirmation),
});
export type AccessTokenClaims = Static<typeof AccessTokenClaims>;

/** OIDC Core §2 and §5.1: the ID token claims this project issues and accepts. */
export const IdTokenClaims = Type.Object({
  iss: Type.String(),
  sub: Type.String(),
  aud: Audience,
  exp: NumericDate,
  iat: NumericDate,
  jti: Type.Optional(Type.String()),
  azp: Type.Optional(Type.String()),
  nonce: Type.Optional(Type.String()),
  auth_time: Type.Optional(NumericDate),
  acr: Type.Optional(Type.String()),
  amr: Type.Optional(Type.Array(Type.String())),
  sid: Type.Optional(Type.String()),
  email: Type.Optional(Type.String()),
  email_verified: Type.Optional(Type.Boolean()),
  name: Type.Optional(Type.String()),
  preferred_username: Type.Optional(Type.String()),
  groups: Type.Optional(Type.Array(Type.String())),
});
export type IdTokenClaims = Static<typeof IdTokenClaims>;
