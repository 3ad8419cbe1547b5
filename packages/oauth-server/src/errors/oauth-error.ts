import type { OAuthErrorCode, OAuthErrorResponse } from '@ema/protocol';
import { toErrorDescriptionCharset } from './error-description.js';

/** Options every OAuth error accepts besides its description. */
export interface OAuthErrorOptions {
  /** Extra response headers (for example `WWW-Authenticate`). */
  headers?: Record<string, string>;
  /** The underlying error, kept for server-side logs only. */
  cause?: unknown;
}

/**
 * An OAuth protocol error (RFC 6749 §5.2): the HTTP status, the `error` code and an optional description.
 * Subclasses exist for every code this project emits; `expose` is false only for {@link ServerError}, whose
 * description stays server-side.
 */
export class OAuthError extends Error {
  override name = 'OAuthError';
  readonly status: number;
  readonly error: OAuthErrorCode;
  readonly description: string | undefined;
  readonly expose: boolean;
  readonly headers: Record<string, string>;

  /** Creates an error answering `status` with `{ error, error_description }`. */
  constructor(status: number, error: OAuthErrorCode, description?: string, options: OAuthErrorOptions = {}) {
    super(description ?? error, options.cause === undefined ? undefined : { cause: options.cause });
    this.status = status;
    this.error = error;
    this.description = description === undefined ? undefined : toErrorDescriptionCharset(description);
    // RFC 6749 §5.2 + the profile: an unexpected condition never tells the client what went wrong.
    this.expose = error !== 'server_error';
    this.headers = options.headers ?? {};
  }

  /** Fastify's default error handler reads `statusCode`; keep it consistent when no boundary is registered. */
  get statusCode(): number {
    return this.status;
  }

  /** The RFC 6749 §5.2 JSON body. An unexposed error never carries its description. */
  toResponseBody(): OAuthErrorResponse {
    if (!this.expose || this.description === undefined) return { error: this.error };
    return { error: this.error, error_description: this.description };
  }
}
