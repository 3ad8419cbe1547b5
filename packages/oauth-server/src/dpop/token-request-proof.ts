/**
 * The DPoP step of the token endpoint (RFC 9449 §5), between client authentication and the grant: a proof, when
 * sent, is checked (§4.3) and its key's thumbprint handed to the grant, which binds what it issues to that key (the
 * ID-JAG's `cnf.jkt` at the IdP, the access token's at the RAS). A client registered with
 * `dpop_bound_access_tokens` (§5.2) must send one.
 */
import { type DpopNonces, DpopProofError, type DpopReplayStore, readDpopHeader, verifyDpopProof } from '@ema/dpop';
import type { RegisteredClient } from '../client-auth/registered-client.js';
import { InvalidDpopProofError, UseDpopNonceError } from '../errors/dpop-errors.js';

/** How a token endpoint checks DPoP proofs; build it once. */
export interface TokenEndpointDpopOptions<C extends RegisteredClient = RegisteredClient> {
  /** The token endpoint's public URL: the `htu` every proof must name (never derived from a request's Host). */
  htu: string;
  /** RFC 9449 §5.1 `dpop_signing_alg_values_supported`: asymmetric only. */
  algorithms: readonly string[];
  /** §11.1: the durable record of seen proofs. */
  replay: DpopReplayStore;
  /** §8: when set, every proof must carry a current nonce of these (else `use_dpop_nonce` with a fresh one). */
  nonces?: DpopNonces;
  /** §5.2 `dpop_bound_access_tokens`: the clients that must send a proof (default: none; a proof is optional). */
  requiredFor?: (client: C) => boolean;
  /** How old a proof may be, in seconds (default 60). */
  maxAgeSeconds?: number;
  /** The clock, epoch milliseconds (default `Date.now`). */
  now?: () => number;
}

/** The key a token request proved possession of. */
export interface DpopBinding {
  /** RFC 7638 SHA-256 thumbprint: the `cnf.jkt` of what the grant issues (RFC 9449 §6.1). */
  jkt: string;
}

/**
 * Checks the `DPoP` header of one token request. Returns the binding, or `undefined` when no proof was sent and
 * none is required.
 *
 * @throws InvalidDpopProofError when a proof is required and absent, or fails a check (RFC 9449 §5).
 * @throws UseDpopNonceError when the proof lacks a current nonce (RFC 9449 §8).
 */
export async function checkTokenRequestProof<C extends RegisteredClient>(
  header: string | readonly string[] | undefined,
  client: C,
  options: TokenEndpointDpopOptions<C>,
): Promise<DpopBinding | undefined> {
  let proof: string | undefined;
  try {
    proof = readDpopHeader(header);
    if (proof === undefined) {
      if (options.requiredFor?.(client) === true) throw new InvalidDpopProofError('A DPoP proof is required');
      return undefined;
    }
    const verified = await verifyDpopProof(proof, {
      htm: 'POST',
      htu: options.htu,
      algorithms: options.algorithms,
      replay: options.replay,
      ...(options.nonces === undefined ? {} : { nonces: options.nonces }),
      ...(options.maxAgeSeconds === undefined ? {} : { maxAgeSeconds: options.maxAgeSeconds }),
      ...(options.now === undefined ? {} : { currentDate: new Date(options.now()) }),
    });
    return { jkt: verified.jkt };
  } catch (error) {
    if (!(error instanceof DpopProofError)) throw error;
    if (error.code === 'ERR_DPOP_NONCE_REQUIRED' && options.nonces !== undefined) {
      throw new UseDpopNonceError(options.nonces.current(), { cause: error });
    }
    throw new InvalidDpopProofError(describe(error), { cause: error });
  }
}

// RFC 6749 §5.2: error_description helps the developer; fixed words, never a claim value.
function describe(error: DpopProofError): string {
  switch (error.code) {
    case 'ERR_DPOP_IAT_OUT_OF_WINDOW':
      return 'The DPoP proof is too old or from the future';
    case 'ERR_DPOP_REPLAYED':
      return 'The DPoP proof was already used';
    case 'ERR_DPOP_HTM_MISMATCH':
    case 'ERR_DPOP_HTU_MISMATCH':
      return 'The DPoP proof was made for another request';
    default:
      return 'The DPoP proof is invalid';
  }
}
