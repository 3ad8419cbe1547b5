/**
 * Protocol constants of Enterprise-Managed Authorization for MCP.
 *
 * Every URN, JOSE `typ` value, media type and well-known path used anywhere in this repository is defined
 * here, once. Import these instead of writing the literal.
 */

// RFC 6749 §4.1, §6 and the extension grants used by this profile.
export const GRANT_TYPE_AUTHORIZATION_CODE = 'authorization_code';
export const GRANT_TYPE_REFRESH_TOKEN = 'refresh_token';
/** RFC 8693 §2.1: the token-exchange grant (how the client obtains an ID-JAG from the IdP). */
export const GRANT_TYPE_TOKEN_EXCHANGE = 'urn:ietf:params:oauth:grant-type:token-exchange';
/** RFC 7523 §2.1: the JWT bearer grant (how the client redeems an ID-JAG at the RAS). */
export const GRANT_TYPE_JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

// RFC 8693 §3 token type identifiers, plus the ID-JAG type from ID-JAG §9.
/** ID-JAG §3: the token type of an Identity Assertion JWT Authorization Grant. */
export const TOKEN_TYPE_ID_JAG = 'urn:ietf:params:oauth:token-type:id-jag';
export const TOKEN_TYPE_ID_TOKEN = 'urn:ietf:params:oauth:token-type:id_token';
export const TOKEN_TYPE_REFRESH_TOKEN = 'urn:ietf:params:oauth:token-type:refresh_token';
export const TOKEN_TYPE_ACCESS_TOKEN = 'urn:ietf:params:oauth:token-type:access_token';
export const TOKEN_TYPE_JWT = 'urn:ietf:params:oauth:token-type:jwt';
/** Accepted by the specification as a subject token type; not supported by this project yet. */
export const TOKEN_TYPE_SAML2 = 'urn:ietf:params:oauth:token-type:saml2';

/** RFC 6749 §4.1.1: the one response type of the authorization code flow. */
export const RESPONSE_TYPE_CODE = 'code';
/** RFC 7636 §4.2: the PKCE code challenge method this project accepts (`plain` never, RFC 9700 §2.1.1). */
export const PKCE_METHOD_S256 = 'S256';
/** RFC 7591 §2: `token_endpoint_auth_method` of a public client (it authenticates by `client_id` and PKCE only). */
export const CLIENT_AUTH_METHOD_NONE = 'none';

/** ID-JAG §6.1: the value a RAS lists in `authorization_grant_profiles_supported`. */
export const GRANT_PROFILE_ID_JAG = 'urn:ietf:params:oauth:grant-profile:id-jag';

/** RFC 7523 §2.2: client assertion type for `private_key_jwt` client authentication. */
export const CLIENT_ASSERTION_TYPE_JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

// JOSE `typ` header values (RFC 8725 §3.11 explicit typing).
/** ID-JAG §3: the `typ` header of an ID-JAG. */
export const TYP_ID_JAG = 'oauth-id-jag+jwt';
/** RFC 9068 §2.1: the `typ` header of a JWT access token. */
export const TYP_ACCESS_TOKEN = 'at+jwt';
/** RFC 9068 §4: the full media-type form of the access-token `typ`, which resource servers also accept. */
export const TYP_ACCESS_TOKEN_MEDIA_TYPE = 'application/at+jwt';
/** OIDC Core does not register a `typ` for ID tokens; `JWT` is what most providers send. */
export const TYP_ID_TOKEN = 'JWT';

/** RFC 8693 §2.2.1: `token_type` of a token-exchange response whose token is not an access token. */
export const TOKEN_TYPE_NOT_APPLICABLE = 'N_A';
/** RFC 6750: the bearer token type. */
export const TOKEN_TYPE_BEARER = 'Bearer';
/** RFC 9449 §5: the `token_type` of a DPoP-bound access token, and the authentication scheme it is sent with (§7.1). */
export const TOKEN_TYPE_DPOP = 'DPoP';

// RFC 9449: DPoP (proof of possession of a key, per request).
/** RFC 9449 §4.2: the `typ` header of a DPoP proof. */
export const TYP_DPOP_PROOF = 'dpop+jwt';
/** RFC 9449 §4.1: the request header that carries the proof. */
export const HEADER_DPOP = 'DPoP';
/** RFC 9449 §8.1: the response header that carries a server-provided nonce. */
export const HEADER_DPOP_NONCE = 'DPoP-Nonce';
/** RFC 9449 §5, §7.1: the error of an invalid DPoP proof (token endpoint: body `error`; resource: challenge `error`). */
export const ERROR_INVALID_DPOP_PROOF = 'invalid_dpop_proof';
/** RFC 9449 §8, §9: the error that asks the client to retry with the server-provided nonce. */
export const ERROR_USE_DPOP_NONCE = 'use_dpop_nonce';

// Media types.
export const MEDIA_TYPE_FORM = 'application/x-www-form-urlencoded';
export const MEDIA_TYPE_JSON = 'application/json';
export const MEDIA_TYPE_JWK_SET = 'application/jwk-set+json';
/** JSON Lines (one JSON value per line), as the audit exports are served; no media type is registered for it yet. */
export const MEDIA_TYPE_JSON_LINES = 'application/jsonl';

// Well-known locations.
/** RFC 8414 §3: authorization server metadata. */
export const WELL_KNOWN_OAUTH_AUTHORIZATION_SERVER = '/.well-known/oauth-authorization-server';
/** OIDC Discovery §4. */
export const WELL_KNOWN_OPENID_CONFIGURATION = '/.well-known/openid-configuration';
/** RFC 9728 §3: protected resource metadata. */
export const WELL_KNOWN_OAUTH_PROTECTED_RESOURCE = '/.well-known/oauth-protected-resource';

/** The MCP extension identifier of Enterprise-Managed Authorization (SEP-990). */
export const EMA_EXTENSION_ID = 'io.modelcontextprotocol/enterprise-managed-authorization';

/** Scopes that belong to the IdP's own sign-in and never pass to a resource (EMA §7). */
export const IDP_ONLY_SCOPES: readonly string[] = ['openid', 'offline_access', 'profile', 'email'];

// RFC 8176 §2: the authentication method reference (`amr`) values this project's IdP records and asks for.
/** RFC 8176 §2 `pwd`: password-based authentication. */
export const AMR_PASSWORD = 'pwd';
/** RFC 8176 §2 `hwk`: proof of possession of a hardware-secured key (a device-bound passkey). */
export const AMR_HARDWARE_KEY = 'hwk';
/** RFC 8176 §2 `swk`: proof of possession of a software-secured key (a synced passkey). */
export const AMR_SOFTWARE_KEY = 'swk';
/** RFC 8176 §2 `user`: a user presence test (the authenticator's UP flag). */
export const AMR_USER_PRESENCE = 'user';
/** RFC 8176 §2 `mfa`: multiple-factor authentication. */
export const AMR_MULTI_FACTOR = 'mfa';

// OIDC Core §2 `acr`: authentication context class references. OIDC leaves the values to the parties to agree on
// (an absolute URI SHOULD be used); this project's IdP knows two classes, ordered, the stronger satisfying the weaker.
/** A sign-in with one factor: a password. Every sign-in at this project's IdP satisfies it. */
export const ACR_PASSWORD = 'urn:ema:acr:pwd';
/** A sign-in with several factors, one of them a passkey verified with user verification (WebAuthn L3 §6.2.3). */
export const ACR_MULTI_FACTOR = 'urn:ema:acr:mfa';

/** Signature algorithms this project accepts by default: asymmetric only (RFC 8725 §3.1). */
export const DEFAULT_ALGORITHMS: readonly string[] = ['ES256'];

// RFC 9396 authorization details of the demo world's resource, Acme Tickets (docs/protocol.md "authorization_details").
/** RFC 9396 §2 `type` of an Acme Tickets authorization detail: which ticket operations, optionally on one ticket. */
export const AUTHORIZATION_DETAILS_TYPE_TICKETS = 'urn:acme:tickets';
/** The `actions` an `urn:acme:tickets` detail may name: reading (list and get), creating, updating tickets. */
export const TICKETS_AUTHORIZATION_ACTIONS: readonly string[] = ['read', 'create', 'update'];
