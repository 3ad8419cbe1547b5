import type { JwtValidationError } from '../errors.js';
import { toJwtValidationError } from './map-jose-error.js';

/**
 * Runs a validator body so that the only rejection it can produce is a {@link JwtValidationError}: a validator sits
 * on the request path, and a stray `TypeError` there would surface as a 500 instead of `invalid_grant`.
 */
export async function withCodedErrors<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw toJwtValidationError(error);
  }
}
