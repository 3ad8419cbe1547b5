import type { DpopNonces, DpopReplayStore } from '@ema/dpop';

/** How a protected resource accepts DPoP-bound access tokens (RFC 9449 §7); build it once. */
export interface ResourceDpopOptions {
  /** RFC 9728 §2 `dpop_signing_alg_values_supported`: the allow-list of proof algorithms, asymmetric only. */
  algorithms: readonly string[];
  /** RFC 9449 §11.1: the durable record of the proofs seen. */
  replay: DpopReplayStore;
  /** RFC 9449 §9: when set, every proof must carry a current nonce of these (else `use_dpop_nonce`). */
  nonces?: DpopNonces;
  /**
   * RFC 9728 §2 `dpop_bound_access_tokens_required`: bearer tokens are refused and the challenges name DPoP only.
   * Default false: clients without DPoP keep working with bearer tokens.
   */
  required?: boolean;
  /** How old a proof may be, in seconds (default 60). */
  maxAgeSeconds?: number;
}
