import { InvalidRequestError, OAuthError } from '@ema/oauth-server';

/** A refused admin change: 400 `invalid_request` with what is wrong. */
export function invalidAdminInput(description: string): OAuthError {
  return new InvalidRequestError(description);
}

/** The named admin object does not exist: 404. */
export function adminNotFound(what: string): OAuthError {
  return new OAuthError(404, 'invalid_request', `${what} not found`);
}

/** The admin object already exists: 409. */
export function adminConflict(what: string): OAuthError {
  return new OAuthError(409, 'invalid_request', `${what} already exists`);
}
