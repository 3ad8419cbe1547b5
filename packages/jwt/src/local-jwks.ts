import { createLocalJWKSet, type JSONWebKeySet } from 'jose';
import type { KeyResolver } from './key-resolver.js';
import { toJwtValidationError } from './lib/map-jose-error.js';

/**
 * A key resolver over a JWKS held in memory. The key is selected by the header's `kid` and `alg`; an unknown
 * `kid` fails with `ERR_JWKS_NO_MATCHING_KEY`.
 */
export function localJwks(jwks: JSONWebKeySet): KeyResolver {
  let resolve: ReturnType<typeof createLocalJWKSet>;
  try {
    resolve = createLocalJWKSet(jwks);
  } catch (error) {
    throw toJwtValidationError(error);
  }
  return async (header, token) => {
    try {
      return await resolve(header, token);
    } catch (error) {
      throw toJwtValidationError(error);
    }
  };
}
