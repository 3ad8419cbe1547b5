import { decodeUnverified, type KeyResolver, verifyAccessToken } from '@ema/jwt';
import type { AccessTokenClaims } from '@ema/protocol';
import { ACCESS_TOKEN_ALGORITHM } from '../algorithms.js';

/** How to check that an access token is one this RAS issued. */
export interface OwnAccessTokenOptions {
  issuer: string;
  keys: () => KeyResolver;
  /** Epoch milliseconds. */
  now: () => number;
}

/**
 * Returns the verified claims of an unexpired access token this RAS issued (RFC 9068 §4: `typ`, signature with our
 * own keys, `iss`, `exp`), or `undefined` for anything else. No clock tolerance: the issuer judges its own tokens by
 * its own clock. The audience is taken from the token itself because any of our resources is acceptable here; the
 * signature then vouches for it.
 */
export async function readOwnAccessToken(
  token: string,
  options: OwnAccessTokenOptions,
): Promise<AccessTokenClaims | undefined> {
  const aud = decodeUnverified(token)?.claims.aud;
  if (typeof aud !== 'string') return undefined;
  try {
    const { claims } = await verifyAccessToken(token, {
      issuer: options.issuer,
      audience: aud,
      keys: options.keys(),
      algorithms: [ACCESS_TOKEN_ALGORITHM],
      clockToleranceSeconds: 0,
      currentDate: new Date(options.now()),
    });
    return claims;
  } catch {
    return undefined;
  }
}
