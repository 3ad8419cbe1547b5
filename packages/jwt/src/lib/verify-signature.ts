import { type CompactJWSHeaderParameters, compactVerify } from 'jose';
import { JwtValidationError } from '../errors.js';
import type { KeyResolver } from '../key-resolver.js';
import { toJwtValidationError } from './map-jose-error.js';
import type { UnverifiedJwt } from './read-compact-jwt.js';

/** Inputs of {@link verifySignature}. */
export interface SignatureCheck {
  /** The one `alg` the pre-checks accepted. */
  alg: string;
  keys: KeyResolver;
  issuer: string;
  /** "Now" in whole seconds, and the clock tolerance in seconds. */
  now: number;
  tolerance: number;
}

/**
 * Verifies the signature with jose (`compactVerify`, pinned to the pre-checked `alg`), then checks `iss` exactly and
 * `nbf` and `exp` with the tolerance, as jose's `jwtVerify` would. The claims are the payload `readCompactJwt`
 * already decoded from this same token: the signature covers exactly those bytes, so once it verifies they are the
 * verified claims, and the token is not decoded a second time. Every failure, including one of the key resolver,
 * becomes a {@link JwtValidationError}.
 */
export async function verifySignature(
  token: string,
  unverified: UnverifiedJwt,
  check: SignatureCheck,
): Promise<{ header: CompactJWSHeaderParameters; claims: Record<string, unknown> }> {
  const getKey: KeyResolver = async (header, input) => {
    try {
      return await check.keys(header, input);
    } catch (error) {
      // A key lookup cannot prove a signature wrong: an unknown failure there means the keys could not be obtained.
      const mapped = toJwtValidationError(error);
      throw mapped.code === 'ERR_JWT_SIGNATURE_INVALID'
        ? new JwtValidationError('ERR_JWKS_UNAVAILABLE', 'the key resolver failed', { cause: error })
        : mapped;
    }
  };
  let header: CompactJWSHeaderParameters;
  try {
    ({ protectedHeader: header } = await compactVerify(token, getKey, { algorithms: [check.alg] }));
  } catch (error) {
    throw toJwtValidationError(error);
  }
  const claims = unverified.payload;
  if (claims.iss !== check.issuer) {
    throw new JwtValidationError('ERR_JWT_ISSUER_MISMATCH', 'unexpected "iss" claim value', { claim: 'iss' });
  }
  // The types of nbf and exp are the callers' checks (NumericDate); these are the time windows.
  if (typeof claims.nbf === 'number' && claims.nbf > check.now + check.tolerance) {
    throw new JwtValidationError('ERR_JWT_NOT_YET_VALID', 'the token is not yet valid (nbf)', { claim: 'nbf' });
  }
  if (typeof claims.exp === 'number' && claims.exp <= check.now - check.tolerance) {
    throw new JwtValidationError('ERR_JWT_EXPIRED', 'the token has expired (exp)', { claim: 'exp' });
  }
  return { header, claims };
}
