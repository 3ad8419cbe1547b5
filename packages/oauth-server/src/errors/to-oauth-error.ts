import { OAuthError } from './oauth-error.js';
import { ServerError } from './other-errors.js';

/**
 * The single exit path for errors: an {@link OAuthError} passes through, anything else becomes a
 * `server_error` whose cause is kept for the server-side log and never reaches the client.
 */
export function toOAuthError(error: unknown): OAuthError {
  if (error instanceof OAuthError) return error;
  return new ServerError(undefined, { cause: error });
}
