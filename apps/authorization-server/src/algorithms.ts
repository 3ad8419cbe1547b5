/**
 * RFC 8725 §3.1: the asymmetric JWS algorithms a trusted IdP may be allowed to use. `none` and the HMAC family are
 * absent on purpose: an HS* allow-list entry would let anyone holding the IdP's public key forge ID-JAGs.
 */
export const SUPPORTED_ASYMMETRIC_ALGORITHMS: readonly string[] = [
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

/** The algorithm this RAS signs its own access tokens with (profile decision: ES256). */
export const ACCESS_TOKEN_ALGORITHM = 'ES256';
