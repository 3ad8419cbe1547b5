/**
 * Protocol constants of revocation across the chain: Security Event Tokens (RFC 8417) delivered by push (RFC 8935)
 * over OpenID Shared Signals Framework streams (SSF 1.0), carrying CAEP, RISC and this project's own event types.
 */

/** RFC 8417 §2.3: the `typ` header of a Security Event Token. */
export const TYP_SECEVENT = 'secevent+jwt';
/** RFC 8417 §7.2 / RFC 8935 §2: the media type of a SET in a push request body. */
export const MEDIA_TYPE_SECEVENT_JWT = 'application/secevent+jwt';

/** SSF 1.0 §7.2 (Obtaining Transmitter Configuration Metadata): where a Transmitter publishes it. */
export const WELL_KNOWN_SSF_CONFIGURATION = '/.well-known/ssf-configuration';
/** SSF 1.0 §7.1 `spec_version` of the final specification this project implements. */
export const SSF_SPEC_VERSION = '1_0';
/** SSF 1.0 §6.1.1 (Push Delivery using HTTP): the delivery method of RFC 8935 push. */
export const DELIVERY_METHOD_PUSH = 'urn:ietf:rfc:8935';
/** SSF 1.0 §7.1 `authorization_schemes`: the stream management API takes an RFC 6750 bearer token. */
export const AUTHORIZATION_SCHEME_BEARER = 'urn:ietf:rfc:6750';

/** CAEP 1.0 §3.1: a session of the subject was revoked (sign-out, admin action). */
export const EVENT_TYPE_SESSION_REVOKED = 'https://schemas.openid.net/secevent/caep/event-type/session-revoked';
/** RISC 1.0 §2.3: the subject's account was disabled. */
export const EVENT_TYPE_ACCOUNT_DISABLED = 'https://schemas.openid.net/secevent/risc/event-type/account-disabled';
/** RISC 1.0 §2.2: the subject's account was deleted. */
export const EVENT_TYPE_ACCOUNT_PURGED = 'https://schemas.openid.net/secevent/risc/event-type/account-purged';
/** SSF 1.0 §8.1.4 (Verification): the event a Transmitter sends when a Receiver asks for one. */
export const EVENT_TYPE_VERIFICATION = 'https://schemas.openid.net/secevent/ssf/event-type/verification';

/**
 * This project's own event types are URIs under the issuer that sends them (RFC 8417 §2.2: an event type is a URI;
 * the issuer owns its own URL space): `<issuer>` + one of these paths. See {@link issuerEventType}.
 */
export const EVENT_TYPE_PATH_PREFIX = '/secevent/event-type/';
/** The IdP's policy-change event: the subject lost some or all of its grant at one resource. */
export const EVENT_NAME_GRANT_REVOKED = 'grant-revoked';
/** The RAS's token event: one access token (by `jti`) was revoked (RFC 7009 revocation at the RAS). */
export const EVENT_NAME_TOKEN_REVOKED = 'token-revoked';

/** The URI of one of this project's event types as sent by `issuer` (no trailing slash). */
export function issuerEventType(issuer: string, name: string): string {
  return `${issuer}${EVENT_TYPE_PATH_PREFIX}${name}`;
}

/** RFC 9493 §3.2 and SSF 1.0 §3: the subject identifier formats this project sends or reads. */
export const SUBJECT_FORMAT_ISS_SUB = 'iss_sub';
export const SUBJECT_FORMAT_OPAQUE = 'opaque';
export const SUBJECT_FORMAT_EMAIL = 'email';
/** SSF 1.0 (Complex Subject Members): one principal described by several simple subjects (`user`, `session`). */
export const SUBJECT_FORMAT_COMPLEX = 'complex';
/** SSF 1.0 (JWT ID Subject Identifier Format): a JWT named by its issuer and `jti`. */
export const SUBJECT_FORMAT_JWT_ID = 'jwt_id';

/** RFC 8935 §2.4: the error codes of a push response (`{ "err": …, "description": … }`). */
export const PUSH_ERROR_CODES = [
  'invalid_request',
  'invalid_key',
  'invalid_issuer',
  'invalid_audience',
  'authentication_failed',
  'access_denied',
] as const;
/** One RFC 8935 §2.4 error code. */
export type PushErrorCode = (typeof PUSH_ERROR_CODES)[number];

/**
 * The `error_description` of a resource server's `401 invalid_token` for a token that was revoked (by a Security
 * Event from its authorization server), as distinct from one that expired. RFC 6750 §3 leaves the description
 * free-form; this project's resource servers and clients agree on this one so the client can tell the user that the
 * organization cut access, and not retry.
 */
export const REVOKED_ACCESS_TOKEN_DESCRIPTION = 'The access token was revoked';
