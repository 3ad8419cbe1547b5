import { OAuthError, type OAuthErrorOptions } from './oauth-error.js';

/** RFC 6749 §4.1.2.1: the resource owner or the authorization server denied the request. */
export class AccessDeniedError extends OAuthError {
  static readonly code = 'access_denied';
  override name = 'AccessDeniedError';
  /** Creates a `403 access_denied`. */
  constructor(description?: string, options?: OAuthErrorOptions) {
    super(403, 'access_denied', description, options);
  }
}

/** RFC 6750 §3.1: the access token is missing, expired, revoked or malformed. */
export class InvalidTokenError extends OAuthError {
  static readonly code = 'invalid_token';
  override name = 'InvalidTokenError';
  /** Creates a `401 invalid_token`; the resource server adds its `WWW-Authenticate: Bearer …` via `headers`. */
  constructor(description?: string, options?: OAuthErrorOptions) {
    super(401, 'invalid_token', description, options);
  }
}

/** RFC 6750 §3.1: the access token lacks a scope the request needs. */
export class InsufficientScopeError extends OAuthError {
  static readonly code = 'insufficient_scope';
  override name = 'InsufficientScopeError';
  /** Creates a `403 insufficient_scope`. */
  constructor(description?: string, options?: OAuthErrorOptions) {
    super(403, 'insufficient_scope', description, options);
  }
}

/** RFC 6749 §5.2 / §4.1.2.1: an unexpected condition. Its description is never sent to the client. */
export class ServerError extends OAuthError {
  static readonly code = 'server_error';
  override name = 'ServerError';
  /** Creates a `500 server_error`; the description is for logs only (`expose` is false). */
  constructor(description?: string, options?: OAuthErrorOptions) {
    super(500, 'server_error', description, options);
  }
}

/** RFC 6749 §4.1.2.1: the server is temporarily unable to handle the request. */
export class TemporarilyUnavailableError extends OAuthError {
  static readonly code = 'temporarily_unavailable';
  override name = 'TemporarilyUnavailableError';
  /** Creates a `503 temporarily_unavailable`. */
  constructor(description?: string, options?: OAuthErrorOptions) {
    super(503, 'temporarily_unavailable', description, options);
  }
}

/**
 * A request over a rate limit: `429 Too Many Requests` (RFC 6585 §4) with `Retry-After` (RFC 9110 §10.2.3). RFC 6749
 * defines no rate-limit code; `temporarily_unavailable` is the registered one that means "try again later" (RFC 6749
 * §4.1.2.1, in the IANA OAuth Extensions Error registry), where `invalid_request` would tell the client its request
 * is wrong and not to retry it.
 */
export class RateLimitExceededError extends OAuthError {
  static readonly code = 'temporarily_unavailable';
  override name = 'RateLimitExceededError';
  /** The seconds to wait before retrying, as sent in `Retry-After`. */
  readonly retryAfterSeconds: number;
  /** Creates a `429 temporarily_unavailable` with `Retry-After: <seconds>`. */
  constructor(retryAfterSeconds: number, options: Omit<OAuthErrorOptions, 'headers'> = {}) {
    const seconds = Math.max(1, Math.ceil(retryAfterSeconds));
    super(429, 'temporarily_unavailable', `rate limit exceeded; retry after ${seconds} s`, {
      ...options,
      headers: { 'Retry-After': String(seconds) },
    });
    this.retryAfterSeconds = seconds;
  }
}

/** How long a client is told to wait before retrying a request the storage could not take (`Retry-After`). */
export const STORAGE_RETRY_AFTER_SECONDS = 5;

/**
 * The server cannot store what this request must store (its disk is full, its storage device fails): `503
 * temporarily_unavailable` (RFC 6749 §4.1.2.1; RFC 9110 §15.6.4) with `Retry-After` (RFC 9110 §10.2.3). Nothing of
 * the request was committed (a token endpoint consumes a code, a refresh token or an ID-JAG only in the transaction
 * that records its answer), so the client may send the same request again once the server has space.
 */
export class StorageUnavailableError extends OAuthError {
  static readonly code = 'temporarily_unavailable';
  override name = 'StorageUnavailableError';
  /** Creates a `503 temporarily_unavailable` with `Retry-After`; `cause` is the storage error, for the log only. */
  constructor(options: Omit<OAuthErrorOptions, 'headers'> = {}) {
    super(503, 'temporarily_unavailable', 'the server cannot store this request now; retry later', {
      ...options,
      headers: { 'Retry-After': String(STORAGE_RETRY_AFTER_SECONDS) },
    });
  }
}
