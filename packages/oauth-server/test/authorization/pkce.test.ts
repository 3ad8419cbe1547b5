import { describe, expect, it } from 'vitest';
import { isS256CodeChallenge, s256CodeChallenge, verifyS256CodeVerifier } from '../../src/index.js';

// RFC 7636 Appendix B.
const VERIFIER = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
const CHALLENGE = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';

describe('PKCE S256', () => {
  it('[KIT-RFC7636-4.6-PKCE-S256] computes and verifies the S256 challenge of RFC 7636 Appendix B', () => {
    expect(s256CodeChallenge(VERIFIER)).toBe(CHALLENGE);
    expect(isS256CodeChallenge(CHALLENGE)).toBe(true);
    expect(verifyS256CodeVerifier(VERIFIER, CHALLENGE)).toBe(true);
  });

  it('[KIT-RFC7636-4.6-PKCE-S256] refuses another verifier, a malformed one, and the plain method (verifier = challenge)', () => {
    expect(verifyS256CodeVerifier(`${VERIFIER.slice(0, -1)}A`, CHALLENGE)).toBe(false);
    expect(verifyS256CodeVerifier('short', s256CodeChallenge('short'))).toBe(false);
    expect(verifyS256CodeVerifier(`${VERIFIER}!`, CHALLENGE)).toBe(false);
    const plain = 'a'.repeat(43);
    expect(verifyS256CodeVerifier(plain, plain)).toBe(false);
    expect(isS256CodeChallenge('too-short')).toBe(false);
  });
});
