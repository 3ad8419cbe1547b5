/**
 * PKCE (RFC 7636) with the S256 method only: `plain` is refused (RFC 9700 §2.1.1, MCP-AUTH "Authorization Code
 * Protection"), so an intercepted authorization request never reveals the verifier.
 */
import { hash, timingSafeEqual } from 'node:crypto';

// RFC 7636 §4.1: code-verifier = 43*128unreserved.
const CODE_VERIFIER = /^[A-Za-z0-9\-._~]{43,128}$/;
// RFC 7636 §4.2: BASE64URL(SHA256(verifier)) is always 43 characters.
const S256_CHALLENGE = /^[A-Za-z0-9_-]{43}$/;

/** Whether `challenge` has the shape of an S256 code challenge (RFC 7636 §4.2). */
export function isS256CodeChallenge(challenge: string): boolean {
  return S256_CHALLENGE.test(challenge);
}

/** The S256 code challenge of a verifier: BASE64URL(SHA256(ASCII(code_verifier))) (RFC 7636 §4.2). */
export function s256CodeChallenge(verifier: string): string {
  return hash('sha256', verifier, 'base64url');
}

/**
 * RFC 7636 §4.6: whether `verifier` is well-formed (§4.1) and its S256 challenge equals the one the authorization
 * request carried. Compared in constant time.
 */
export function verifyS256CodeVerifier(verifier: string, challenge: string): boolean {
  if (!CODE_VERIFIER.test(verifier) || !isS256CodeChallenge(challenge)) return false;
  const expected = Buffer.from(challenge);
  const actual = Buffer.from(s256CodeChallenge(verifier));
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}
