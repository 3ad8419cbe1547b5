/**
 * The algorithm this RAS signs its own access tokens with (profile decision: ES256). The algorithms a trusted IdP may
 * use are `ASYMMETRIC_JWS_ALGORITHMS` of `@ema/oauth-server` (RFC 8725 §3.1: asymmetric only).
 */
export const ACCESS_TOKEN_ALGORITHM = 'ES256';
