import { OAuthError, type OAuthErrorOptions } from './oauth-error.js';

/** RFC 6749 §5.2: missing, repeated, unsupported or malformed parameter. */
export class InvalidRequestError extends OAuthError {
  static readonly code = 'invalid_request';
  override name = 'InvalidRequestError';
  /** Creates a `400 invalid_request`. */
  constructor(description?: string, options?: OAuthErrorOptions) {
    super(400, 'invalid_request', description, options);
  }
}

/** Options of {@link InvalidClientError}. */
export interface InvalidClientErrorOptions extends OAuthErrorOptions {
  /** Set when the client tried HTTP Basic: RFC 6749 §5.2 then requires `WWW-Authenticate: Basic`. */
  basicRealm?: string;
}

/** RFC 6749 §5.2: client authentication failed (unknown client, wrong secret, unsupported method). */
export class InvalidClientError extends OAuthError {
  static readonly code = 'invalid_client';
  override name = 'InvalidClientError';
  /** Creates a `401 invalid_client`, with `WWW-Authenticate: Basic realm="…"` when `basicRealm` is set. */
  constructor(description?: string, options: InvalidClientErrorOptions = {}) {
    const { basicRealm, ...rest } = options;
    // RFC 6749 §5.2: a client that tried the Authorization header gets 401 + WWW-Authenticate with its scheme.
    const headers =
      basicRealm === undefined ? rest.headers : { ...rest.headers, 'WWW-Authenticate': `Basic realm="${basicRealm}"` };
    super(401, 'invalid_client', description, headers === undefined ? rest : { ...rest, headers });
  }
}

/** RFC 6749 §5.2: the grant (code, refresh token, assertion, subject token) is invalid, expired or revoked. */
export class InvalidGrantError extends OAuthError {
  static readonly code = 'invalid_grant';
  override name = 'InvalidGrantError';
  /** Creates a `400 invalid_grant`. */
  constructor(description?: string, options?: OAuthErrorOptions) {
    super(400, 'invalid_grant', description, options);
  }
}

/** RFC 6749 §5.2: the authenticated client may not use this grant type. */
export class UnauthorizedClientError extends OAuthError {
  static readonly code = 'unauthorized_client';
  override name = 'UnauthorizedClientError';
  /** Creates a `400 unauthorized_client`. */
  constructor(description?: string, options?: OAuthErrorOptions) {
    super(400, 'unauthorized_client', description, options);
  }
}

/** RFC 6749 §5.2: the grant type is not supported by this authorization server. */
export class UnsupportedGrantTypeError extends OAuthError {
  static readonly code = 'unsupported_grant_type';
  override name = 'UnsupportedGrantTypeError';
  /** Creates a `400 unsupported_grant_type`. */
  constructor(description?: string, options?: OAuthErrorOptions) {
    super(400, 'unsupported_grant_type', description, options);
  }
}

/** RFC 6749 §5.2: the requested scope is invalid, unknown, malformed or none of it may be granted. */
export class InvalidScopeError extends OAuthError {
  static readonly code = 'invalid_scope';
  override name = 'InvalidScopeError';
  /** Creates a `400 invalid_scope`. */
  constructor(description?: string, options?: OAuthErrorOptions) {
    super(400, 'invalid_scope', description, options);
  }
}

/** RFC 8707 §2 / RFC 8693 §2.2.2: the resource or audience is unknown or not allowed. */
export class InvalidTargetError extends OAuthError {
  static readonly code = 'invalid_target';
  override name = 'InvalidTargetError';
  /** Creates a `400 invalid_target`. */
  constructor(description?: string, options?: OAuthErrorOptions) {
    super(400, 'invalid_target', description, options);
  }
}

/** RFC 8693 §2.2.2 / RFC 7009 §2.2.1: the token type is not supported. */
export class UnsupportedTokenTypeError extends OAuthError {
  static readonly code = 'unsupported_token_type';
  override name = 'UnsupportedTokenTypeError';
  /** Creates a `400 unsupported_token_type`. */
  constructor(description?: string, options?: OAuthErrorOptions) {
    super(400, 'unsupported_token_type', description, options);
  }
}

/** Options of {@link InsufficientUserAuthenticationError}: hints for the client's next sign-in. */
export interface InsufficientUserAuthenticationErrorOptions extends OAuthErrorOptions {
  /** Maximum authentication age in seconds the server would accept. */
  maxAge?: number;
  /** Space-separated ACR values the server would accept. */
  acrValues?: string;
}

/** RFC 9470 §3 (used by ID-JAG §4.3.3): the user's authentication is too weak or too old. */
export class InsufficientUserAuthenticationError extends OAuthError {
  static readonly code = 'insufficient_user_authentication';
  override name = 'InsufficientUserAuthenticationError';
  readonly maxAge: number | undefined;
  readonly acrValues: string | undefined;
  /** Creates a `400 insufficient_user_authentication` carrying `max_age` / `acr_values` hints. */
  constructor(description?: string, options: InsufficientUserAuthenticationErrorOptions = {}) {
    const { maxAge, acrValues, ...rest } = options;
    super(400, 'insufficient_user_authentication', description, rest);
    this.maxAge = maxAge;
    this.acrValues = acrValues;
  }

  /** RFC 9470 §3: the body adds `max_age` and `acr_values` when known. */
  override toResponseBody() {
    const body = super.toResponseBody();
    if (this.maxAge !== undefined) body.max_age = this.maxAge;
    if (this.acrValues !== undefined) body.acr_values = this.acrValues;
    return body;
  }
}

/**
 * RFC 9396 §5 / §6.2: the `authorization_details` request parameter is malformed, names an unknown type, or asks for
 * more than the grant allows.
 */
export class InvalidAuthorizationDetailsError extends OAuthError {
  static readonly code = 'invalid_authorization_details';
  override name = 'InvalidAuthorizationDetailsError';
  /** Creates a `400 invalid_authorization_details`. */
  constructor(description?: string, options?: OAuthErrorOptions) {
    super(400, 'invalid_authorization_details', description, options);
  }
}
