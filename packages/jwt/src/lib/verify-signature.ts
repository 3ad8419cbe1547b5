import { type CompactJWSHeaderParameters, compactVerify } from 'jose';
import { JwtValidationError } from '../errors.js';
import type { KeyResolver } from '../key-resolver.js';
import { ES256, p256KeyObject, verifyEs256 } from './es256.js';
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
 * Verifies the signature, pinned to the pre-checked `alg` (ES256 through node:crypto, see `es256.ts`; any other
 * allow-listed `alg` with jose's `compactVerify`), then checks `iss` exactly and `nbf` and `exp` with the tolerance,
 * as jose's `jwtVerify` would. The header and claims are those `readCompactJwt` already decoded from this same token:
 * the signature covers exactly those bytes, so once it verifies they are the verified ones, and the token is not
 * decoded a second time. Every failure, including one of the key resolver, becomes a {@link JwtValidationError}.
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
    header =
      check.alg === ES256
        ? await verifyEs256Token(token, unverified, getKey)
        : (await compactVerify(token, getKey, { algorithms: [check.alg] })).protectedHeader;
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

/** The ES256 path of {@link verifySignature}: the key the resolver names must be a P-256 public key. */
async function verifyEs256Token(
  token: string,
  unverified: UnverifiedJwt,
  getKey: KeyResolver,
): Promise<CompactJWSHeaderParameters> {
  const firstDot = token.indexOf('.');
  const lastDot = token.lastIndexOf('.');
  const signature = token.slice(lastDot + 1);
  const header = unverified.header as CompactJWSHeaderParameters;
  const key = await getKey(header, {
    protected: token.slice(0, firstDot),
    payload: token.slice(firstDot + 1, lastDot),
    signature,
  });
  const publicKey = p256KeyObject(key, 'public', 'verify');
  if (publicKey === undefined) {
    throw new JwtValidationError('ERR_JWT_SIGNATURE_INVALID', 'the key is not a P-256 public key for ES256');
  }
  if (!(await verifyEs256(token.slice(0, lastDot), signature, publicKey))) {
    throw new JwtValidationError('ERR_JWT_SIGNATURE_INVALID', 'signature verification failed');
  }
  return header;
}
