import type { IdTokenClaims } from '@ema/protocol';
import type { KeyResolver } from './key-resolver.js';
import type { ProtectedHeader, VerifyCommonOptions } from './lib/verify-options.js';

/** Options of {@link verifyIdToken}. */
export interface VerifyIdTokenOptions extends VerifyCommonOptions {
  /** The OpenID Provider's issuer identifier; `iss` must equal it. */
  issuer: string;
  /** The OpenID Provider's signing keys. */
  keys: KeyResolver;
  /** The client the ID token was issued to: `aud` must contain it, and `azp` must equal it when present. */
  clientId: string;
  /** When set, the `nonce` claim must equal it. */
  nonce?: string;
  /** When set, `auth_time` is required and must be at most this many seconds ago. */
  maxAgeSeconds?: number;
}

/** A verified OIDC ID token. */
export interface VerifiedIdToken {
  claims: IdTokenClaims;
  header: ProtectedHeader;
}

/**
 * Verifies an OIDC ID token (OIDC Core §3.1.3.7): allow-listed `alg`, signature, `iss`, `aud` contains the client,
 * `azp`, times, `nonce`, `auth_time` against `maxAgeSeconds`. Throws {@link JwtValidationError} (and nothing else).
 */
export async function verifyIdToken(token: string, options: VerifyIdTokenOptions): Promise<VerifiedIdToken> {
  void token;
  void options;
  throw new Error('not implemented yet');
}
