/**
 * `@ema/dpop`: checking DPoP proofs (RFC 9449) at any server, framework-neutral: the §4.3 checks, `htu`
 * normalization, `ath`, server-provided nonces (§8, §9) and the replay store seam (§11.1). Loads no database
 * driver: the SQL replay store (SQLite or PostgreSQL) is `@ema/dpop/sqlite`. Clients make proofs with the `dpop` library.
 */
export { accessTokenHash } from './access-token-hash.js';
export { type DpopErrorCode, DpopProofError } from './errors.js';
export { normalizeHtu } from './htu.js';
export { createDpopNonces, type DpopNonceOptions, type DpopNonces } from './nonces.js';
export { createMemoryDpopReplayStore, type DpopReplayStore, type SeenDpopProof } from './replay-store.js';
export {
  readDpopHeader,
  type VerifiedDpopProof,
  type VerifyDpopProofOptions,
  verifyDpopProof,
} from './verify-dpop-proof.js';
