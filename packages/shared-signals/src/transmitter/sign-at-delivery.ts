import { mintSecurityEventToken, type Signer } from '@ema/jwt';
import type { UnsignedSecurityEventToken } from '../events/security-event.js';

/**
 * The `sign` of a delivery loop: each attempt signs the claims afresh with the key current at that moment and a new
 * `iat` (RFC 8417 §2.2), so a SET retried after a key rotation or a long outage is still fresh and verifiable.
 *
 * @param signer - the transmitter's current signer, asked again at every attempt (e.g. `() => keyStore.signer()`).
 * @param now - epoch milliseconds.
 */
export function signAtDelivery(
  signer: () => Signer,
  now: () => number,
): (claims: UnsignedSecurityEventToken) => Promise<string> {
  return (claims) => mintSecurityEventToken({ ...claims, iat: Math.floor(now() / 1000) }, signer());
}
