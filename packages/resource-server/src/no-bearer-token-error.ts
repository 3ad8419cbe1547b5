/**
 * The request carried no bearer token at all. RFC 6750 §3.1: "If the request lacks any authentication information
 * (e.g., the client was unaware that authentication is necessary ...), the resource server SHOULD NOT include an
 * error code or other error information" — so this is not an OAuth error, only the trigger of the bare challenge
 * (see `bearerRefusal`).
 */
export class NoBearerTokenError extends Error {
  /** Stable code, for `switch (error.code)`. */
  static readonly code = 'ERR_NO_BEARER_TOKEN';
  readonly code = NoBearerTokenError.code;
  override readonly name = 'NoBearerTokenError';

  /** Creates the error; the message is for server-side logs only. */
  constructor() {
    super('no bearer token in the Authorization header');
  }
}
