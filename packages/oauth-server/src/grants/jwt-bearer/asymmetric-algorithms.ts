/**
 * RFC 8725 §3.1: the asymmetric JWS algorithms a trusted IdP may be allowed to sign ID-JAGs with. `none` and the HMAC
 * family are absent on purpose: an HS* allow-list entry would let anyone holding the IdP's public key forge ID-JAGs.
 */
export const ASYMMETRIC_JWS_ALGORITHMS: readonly string[] = [
  'ES256',
  'ES384',
  'ES512',
  'PS256',
  'PS384',
  'PS512',
  'RS256',
  'RS384',
  'RS512',
  'EdDSA',
];
