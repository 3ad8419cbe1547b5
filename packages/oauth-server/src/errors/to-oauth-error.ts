import { isStorageUnavailable, isUnstorableText } from '@ema/storage';
import { OAuthError } from './oauth-error.js';
import { ServerError, StorageUnavailableError } from './other-errors.js';
import { InvalidRequestError } from './token-errors.js';

/**
 * The single exit path for errors: an {@link OAuthError} passes through; a storage failure that is nobody's fault
 * (a full disk, an I/O error: `isStorageUnavailable` of `@ema/storage`) becomes `503 temporarily_unavailable` with
 * `Retry-After`; text of the request the database cannot hold (U+0000 on PostgreSQL: `isUnstorableText`) becomes
 * `invalid_request`; anything else becomes a `server_error`. The cause is kept for the server-side log and never reaches
 * the client.
 */
export function toOAuthError(error: unknown): OAuthError {
  if (error instanceof OAuthError) return error;
  if (isStorageUnavailable(error)) return new StorageUnavailableError({ cause: error });
  if (isUnstorableText(error))
    return new InvalidRequestError('the request holds U+0000, which cannot be stored', { cause: error });
  return new ServerError(undefined, { cause: error });
}
