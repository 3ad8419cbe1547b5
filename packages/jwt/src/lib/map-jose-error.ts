import { JwtValidationError } from '../errors.js';

/** Placeholder: maps anything thrown by jose to a coded error. */
export function toJwtValidationError(error: unknown): JwtValidationError {
  if (error instanceof JwtValidationError) return error;
  return new JwtValidationError('ERR_JWT_MALFORMED', 'unexpected error', { cause: error });
}
