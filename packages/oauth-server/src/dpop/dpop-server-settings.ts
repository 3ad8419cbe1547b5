/**
 * What an operator sets about DPoP at a token endpoint (the IdP's and the RAS's alike), and the endpoint options
 * built from it.
 */
import { createDpopNonces, type DpopReplayStore } from '@ema/dpop';
import type { RegisteredClient } from '../client-auth/registered-client.js';
import type { TokenEndpointDpopOptions } from './token-request-proof.js';

/** The operator's DPoP settings of one token endpoint. */
export interface DpopServerSettings {
  /** RFC 9449 §5.2 `dpop_bound_access_tokens`, per client: the client ids that must send a proof. Default none. */
  readonly requiredClients: readonly string[];
  /** RFC 9449 §8: whether proofs must carry a server nonce (one extra round trip per client, then reused). */
  readonly nonces: boolean;
}

/** What the endpoint needs besides the settings. */
export interface TokenEndpointDpopParts {
  /** The token endpoint's public URL (the `htu` of every proof). */
  htu: string;
  /** The proof algorithms accepted (`dpop_signing_alg_values_supported`). */
  algorithms: readonly string[];
  /** The durable record of seen proofs. */
  replay: DpopReplayStore;
  /** The shared HMAC secret of the nonces, when several instances serve the endpoint (default: per process). */
  nonceSecret?: Uint8Array;
  now: () => number;
}

/** Builds the token endpoint's DPoP options from the operator's settings. */
export function tokenEndpointDpop<C extends RegisteredClient>(
  settings: DpopServerSettings,
  parts: TokenEndpointDpopParts,
): TokenEndpointDpopOptions<C> {
  const required = new Set(settings.requiredClients);
  return {
    htu: parts.htu,
    algorithms: parts.algorithms,
    replay: parts.replay,
    now: parts.now,
    requiredFor: (client) => required.has(client.clientId),
    ...(settings.nonces
      ? {
          nonces: createDpopNonces({
            now: parts.now,
            ...(parts.nonceSecret === undefined ? {} : { secret: parts.nonceSecret }),
          }),
        }
      : {}),
  };
}
