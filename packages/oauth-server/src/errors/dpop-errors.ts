import { ERROR_INVALID_DPOP_PROOF, ERROR_USE_DPOP_NONCE, HEADER_DPOP_NONCE } from '@ema/protocol';
import { OAuthError, type OAuthErrorOptions } from './oauth-error.js';

/** RFC 9449 §5: the DPoP proof of a token request is missing where required, or fails a check of §4.3. */
export class InvalidDpopProofError extends OAuthError {
  static readonly code = ERROR_INVALID_DPOP_PROOF;
  override name = 'InvalidDpopProofError';
  /** Creates a `400 invalid_dpop_proof`. */
  constructor(description?: string, options?: OAuthErrorOptions) {
    super(400, ERROR_INVALID_DPOP_PROOF, description, options);
  }
}

/** RFC 9449 §8: the proof must carry the server's nonce; the fresh one travels in the `DPoP-Nonce` header. */
export class UseDpopNonceError extends OAuthError {
  static readonly code = ERROR_USE_DPOP_NONCE;
  override name = 'UseDpopNonceError';
  /** Creates a `400 use_dpop_nonce` with `DPoP-Nonce: <nonce>`. */
  constructor(nonce: string, options: OAuthErrorOptions = {}) {
    super(400, ERROR_USE_DPOP_NONCE, 'Authorization server requires nonce in DPoP proof', {
      ...options,
      headers: { ...options.headers, [HEADER_DPOP_NONCE]: nonce },
    });
  }
}
