/**
 * The stable error codes of `@ema/jwt`. Callers `switch (error.code)`; the message is for logs only and must
 * never be sent to a client (the HTTP edge maps every code to one OAuth error, e.g. `invalid_grant`).
 */
export type JwtErrorCode =
  | 'ERR_JWT_MALFORMED'
  | 'ERR_JWT_ALG_NOT_ALLOWED'
  | 'ERR_JWT_TYP_MISMATCH'
  | 'ERR_JWT_CRIT_UNSUPPORTED'
  | 'ERR_JWT_ISSUER_UNTRUSTED'
  | 'ERR_JWT_ISSUER_MISMATCH'
  | 'ERR_JWT_TENANT_UNTRUSTED'
  | 'ERR_JWKS_NO_MATCHING_KEY'
  | 'ERR_JWKS_UNAVAILABLE'
  | 'ERR_JWT_SIGNATURE_INVALID'
  | 'ERR_JWT_AUD_MISMATCH'
  | 'ERR_JWT_AZP_MISMATCH'
  | 'ERR_JWT_CLIENT_ID_MISMATCH'
  | 'ERR_JWT_EXPIRED'
  | 'ERR_JWT_IAT_IN_FUTURE'
  | 'ERR_JWT_NOT_YET_VALID'
  | 'ERR_JWT_LIFETIME_EXCEEDED'
  | 'ERR_JWT_CLAIM_INVALID'
  | 'ERR_JWT_NONCE_MISMATCH'
  | 'ERR_JWT_AUTH_TOO_OLD'
  | 'ERR_JWT_TOO_OLD'
  | 'ERR_SET_EVENTS_INVALID';

/** Extra detail attached to a {@link JwtValidationError}. */
export interface JwtValidationErrorOptions {
  /** The claim (or header parameter) that failed, when one did. */
  claim?: string;
  /** The underlying error (for example jose's), kept for server-side logs. */
  cause?: unknown;
}

/** The only error the validators and key resolvers of this package throw. */
export class JwtValidationError extends Error {
  override readonly name = 'JwtValidationError';
  readonly code: JwtErrorCode;
  // Declared only, so that an error without a claim has no `claim` property at all (not an own `undefined`).
  declare readonly claim?: string;

  /** Creates an error with a stable `code`; `message` is for server-side logs only. */
  constructor(code: JwtErrorCode, message: string = code, options: JwtValidationErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    if (options.claim !== undefined) this.claim = options.claim;
  }
}
