/**
 * The proof of a request that presents a DPoP-bound access token (RFC 9449 §7.1): checked after the token itself,
 * with the token's `cnf.jkt` and the token value (`ath`).
 */
import { DpopProofError, readDpopHeader, verifyDpopProof } from '@ema/dpop';
import { DpopRefusalError } from './dpop-refusal-error.js';
import type { ResourceDpopOptions } from './resource-dpop-options.js';

/** The request parts the proof is checked against. */
export interface ResourceProofInput {
  /** The `DPoP` header(s), as received. */
  dpop: string | readonly string[] | undefined;
  /** The request method. */
  method: string;
  /** The absolute URI of the request as this resource is published (from the resource identifier, not `Host`). */
  htu: string;
  accessToken: string;
  /** The token's `cnf.jkt`. */
  jkt: string;
}

/**
 * Checks the request's DPoP proof (RFC 9449 §4.3, with check 12: `ath` and the bound key).
 *
 * @throws DpopRefusalError `invalid_dpop_proof` when the proof is missing or fails a check, `use_dpop_nonce` when
 *   it lacks a current nonce.
 */
export async function checkResourceProof(input: ResourceProofInput, options: ResourceDpopOptions): Promise<void> {
  try {
    const proof = readDpopHeader(input.dpop);
    if (proof === undefined) throw DpopRefusalError.invalidProof('A DPoP proof is required with a DPoP-bound token');
    await verifyDpopProof(proof, {
      htm: input.method,
      htu: input.htu,
      algorithms: options.algorithms,
      replay: options.replay,
      accessToken: input.accessToken,
      jkt: input.jkt,
      ...(options.nonces === undefined ? {} : { nonces: options.nonces }),
      ...(options.maxAgeSeconds === undefined ? {} : { maxAgeSeconds: options.maxAgeSeconds }),
    });
  } catch (error) {
    if (!(error instanceof DpopProofError)) throw error;
    if (error.code === 'ERR_DPOP_NONCE_REQUIRED' && options.nonces !== undefined) {
      throw DpopRefusalError.useNonce(options.nonces.current(), error);
    }
    throw DpopRefusalError.invalidProof(describe(error), error);
  }
}

// RFC 6750 §3: fixed words for the developer, never a claim value.
function describe(error: DpopProofError): string {
  switch (error.code) {
    case 'ERR_DPOP_ATH_MISMATCH':
      return 'The DPoP proof was made for another access token';
    case 'ERR_DPOP_KEY_MISMATCH':
      return 'The DPoP proof is not signed with the key the access token is bound to';
    case 'ERR_DPOP_REPLAYED':
      return 'The DPoP proof was already used';
    case 'ERR_DPOP_IAT_OUT_OF_WINDOW':
      return 'The DPoP proof is too old or from the future';
    case 'ERR_DPOP_HTM_MISMATCH':
    case 'ERR_DPOP_HTU_MISMATCH':
      return 'The DPoP proof was made for another request';
    default:
      return 'The DPoP proof is invalid';
  }
}
