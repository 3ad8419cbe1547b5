import { OAuthError } from '@ema/oauth-server';
import { ERROR_INVALID_DPOP_PROOF, ERROR_USE_DPOP_NONCE, HEADER_DPOP_NONCE } from '@ema/protocol';

/**
 * A request with the `DPoP` scheme refused for its proof (RFC 9449 §7.1: `401` and `WWW-Authenticate: DPoP
 * error="invalid_dpop_proof"`), or asked to retry with a nonce (§9: `error="use_dpop_nonce"` and `DPoP-Nonce`).
 * `bearerRefusal` answers it with a `DPoP` challenge only.
 */
export class DpopRefusalError extends OAuthError {
  override name = 'DpopRefusalError';

  private constructor(
    error: typeof ERROR_INVALID_DPOP_PROOF | typeof ERROR_USE_DPOP_NONCE,
    description: string,
    headers: Record<string, string>,
    cause: unknown,
  ) {
    super(401, error, description, { headers, cause });
  }

  /** `401 invalid_dpop_proof`. */
  static invalidProof(description: string, cause?: unknown): DpopRefusalError {
    return new DpopRefusalError(ERROR_INVALID_DPOP_PROOF, description, {}, cause);
  }

  /** `401 use_dpop_nonce` with the fresh nonce in `DPoP-Nonce`. */
  static useNonce(nonce: string, cause?: unknown): DpopRefusalError {
    return new DpopRefusalError(
      ERROR_USE_DPOP_NONCE,
      'Resource server requires nonce in DPoP proof',
      { [HEADER_DPOP_NONCE]: nonce },
      cause,
    );
  }
}
