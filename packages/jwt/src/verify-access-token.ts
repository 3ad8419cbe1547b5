import type { AccessTokenClaims } from '@ema/protocol';
import type { KeyResolver } from './key-resolver.js';
import type { ProtectedHeader, VerifyCommonOptions } from './lib/verify-options.js';

/** Options of {@link verifyAccessToken}. */
export interface VerifyAccessTokenOptions extends VerifyCommonOptions {
  /** The RAS issuer identifier; `iss` must equal it. */
  issuer: string;
  /** This resource server's identifier: `aud` must equal it exactly (string or one-element array). */
  audience: string;
  /** The RAS signing keys. */
  keys: KeyResolver;
  /** When set, the longest accepted lifetime, `exp - iat`, in seconds. */
  maxLifetimeSeconds?: number;
}

/** A verified RFC 9068 access token. */
export interface VerifiedAccessToken {
  claims: AccessTokenClaims;
  header: ProtectedHeader;
}

/**
 * Verifies an RFC 9068 JWT access token as a resource server must (RFC 9068 §4): `typ` `at+jwt`, allow-listed `alg`,
 * signature, `iss`, exact `aud`, times, required claims. Throws {@link JwtValidationError} (and nothing else).
 */
export async function verifyAccessToken(
  token: string,
  options: VerifyAccessTokenOptions,
): Promise<VerifiedAccessToken> {
  void token;
  void options;
  throw new Error('not implemented yet');
}
