/**
 * The `proofOfPossession` step of the redemption: an ID-JAG bound to a key (`cnf.jkt`, RFC 7800 / RFC 9449 §6.1) is
 * redeemed only by a request whose DPoP proof was made with that key (ID-JAG §3 "cnf", §4.4.1: otherwise
 * `invalid_grant`); a sender-constrained grant never quietly becomes a bearer token.
 */
import type { IdJagClaims } from '@ema/protocol';
import { assertionFailure } from './redemption-audit.js';

/**
 * Throws the `invalid_grant` refusal when the ID-JAG names a key (`cnf`) that the request did not prove possession
 * of: no DPoP proof (`ERR_ID_JAG_CNF_UNPROVEN`), a proof by another key (`ERR_ID_JAG_CNF_MISMATCH`), or a `cnf` this
 * server cannot check (no `jkt`: `ERR_ID_JAG_CNF_UNSUPPORTED`, refused rather than ignored).
 */
export function checkProofOfPossession(claims: Pick<IdJagClaims, 'cnf'>, dpopJkt: string | undefined): void {
  if (claims.cnf === undefined) return;
  const { jkt } = claims.cnf;
  if (typeof jkt !== 'string' || jkt.length === 0) throw assertionFailure('ERR_ID_JAG_CNF_UNSUPPORTED');
  if (dpopJkt === undefined) throw assertionFailure('ERR_ID_JAG_CNF_UNPROVEN');
  if (dpopJkt !== jkt) throw assertionFailure('ERR_ID_JAG_CNF_MISMATCH');
}
