import { type JWTHeaderParameters, jwtVerify } from 'jose';
import { JwtValidationError } from '../errors.js';
import type { KeyResolver } from '../key-resolver.js';
import { toJwtValidationError } from './map-jose-error.js';

/** Inputs of {@link verifySignature}. */
export interface SignatureCheck {
  /** The one `alg` the pre-checks accepted. */
  alg: string;
  keys: KeyResolver;
  issuer: string;
  currentDate: Date;
  clockTolerance: number;
}

/**
 * Verifies the signature with jose, pinned to the pre-checked `alg`, and lets jose check `iss`, `exp` and `nbf`
 * with the tolerance. Every failure, including one of the key resolver, becomes a {@link JwtValidationError}.
 */
export async function verifySignature(
  token: string,
  check: SignatureCheck,
): Promise<{ header: JWTHeaderParameters; claims: Record<string, unknown> }> {
  const getKey: KeyResolver = async (header, input) => {
    try {
      return await check.keys(header, input);
    } catch (error) {
      if (error instanceof JwtValidationError) throw error;
      const mapped = toJwtValidationError(error);
      throw mapped.code === 'ERR_JWT_SIGNATURE_INVALID'
        ? new JwtValidationError('ERR_JWKS_UNAVAILABLE', 'the key resolver failed', { cause: error })
        : mapped;
    }
  };
  try {
    const { protectedHeader, payload } = await jwtVerify(token, getKey, {
      algorithms: [check.alg],
      issuer: check.issuer,
      currentDate: check.currentDate,
      clockTolerance: check.clockTolerance,
    });
    return { header: protectedHeader, claims: { ...payload } };
  } catch (error) {
    throw toJwtValidationError(error);
  }
}
