import type { CryptoKey, FlattenedJWSInput, JWSHeaderParameters, KeyObject } from 'jose';

/**
 * Resolves the verification key for a token, given its (unverified) protected header. This is exactly the key
 * function jose's `jwtVerify` accepts. A resolver throws {@link JwtValidationError} with
 * `ERR_JWKS_NO_MATCHING_KEY` when no key matches and `ERR_JWKS_UNAVAILABLE` when the key set cannot be obtained.
 */
export type KeyResolver = (
  header: JWSHeaderParameters,
  token: FlattenedJWSInput,
) => Promise<CryptoKey | KeyObject | Uint8Array>;
