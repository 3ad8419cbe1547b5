import { describe, expect, it } from 'vitest';
import { ASYMMETRIC_JWS_ALGORITHMS } from '../../../src/index.js';

describe('ASYMMETRIC_JWS_ALGORITHMS', () => {
  it('[RAS-RFC8725-3.1-ALG-ALLOWLIST] lists exactly the asymmetric JWS algorithms: never none, never an HMAC', () => {
    // RFC 7518 §3.1 and RFC 8037 §3.1: ECDSA, RSASSA-PSS, RSASSA-PKCS1-v1_5 and EdDSA, the ones a public key verifies.
    expect(ASYMMETRIC_JWS_ALGORITHMS).toEqual([
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
    ]);
    expect(ASYMMETRIC_JWS_ALGORITHMS.filter((alg) => alg === 'none' || alg.startsWith('HS'))).toEqual([]);
  });
});
