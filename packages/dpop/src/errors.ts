/**
 * The stable error codes of `@ema/dpop`. Callers `switch (error.code)`; the message is for logs only. At a token
 * endpoint every code answers `invalid_dpop_proof` (RFC 9449 §5) except `ERR_DPOP_NONCE_REQUIRED`, which answers
 * `use_dpop_nonce` (§8); at a resource the same two codes go into the `DPoP` challenge (§7.1, §9).
 */
export type DpopErrorCode =
  | 'ERR_DPOP_MALFORMED'
  | 'ERR_DPOP_TYP_MISMATCH'
  | 'ERR_DPOP_ALG_NOT_ALLOWED'
  | 'ERR_DPOP_JWK_INVALID'
  | 'ERR_DPOP_SIGNATURE_INVALID'
  | 'ERR_DPOP_HTM_MISMATCH'
  | 'ERR_DPOP_HTU_MISMATCH'
  | 'ERR_DPOP_NONCE_REQUIRED'
  | 'ERR_DPOP_IAT_OUT_OF_WINDOW'
  | 'ERR_DPOP_ATH_MISMATCH'
  | 'ERR_DPOP_KEY_MISMATCH'
  | 'ERR_DPOP_REPLAYED';

/** The only error {@link verifyDpopProof} throws. */
export class DpopProofError extends Error {
  override readonly name = 'DpopProofError';
  readonly code: DpopErrorCode;

  /** Creates an error with a stable `code`; `message` is for server-side logs only. */
  constructor(code: DpopErrorCode, message: string = code, options: { cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
  }
}
