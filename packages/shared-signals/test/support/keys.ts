/** Test fixtures: a transmitter's signing key, a trusted-transmitter lookup over it, and SET minting. */
import { localJwks, mintSecurityEventToken, type Signer, type TrustedIssuer } from '@ema/jwt';
import type { SecurityEventTokenClaims } from '@ema/protocol';
import { CompactSign, exportJWK, generateKeyPair, type JWK } from 'jose';

export const IDP = 'https://idp.example.com';
export const RAS = 'https://ras.example.com';
/** The frozen "now" of the tests: 2030-01-01T00:00:00Z. */
export const NOW_MS = Date.UTC(2030, 0, 1);
export const NOW_S = NOW_MS / 1000;

export interface TransmitterKey {
  signer: Signer;
  publicJwk: JWK;
  trusted: TrustedIssuer;
}

/** A fresh ES256 key of the transmitter `issuer`. */
export async function transmitterKey(issuer = IDP, kid = 'idp-1'): Promise<TransmitterKey> {
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' };
  return {
    signer: { kid, alg: 'ES256', privateKey },
    publicJwk,
    trusted: { issuer, keys: localJwks({ keys: [publicJwk] }) },
  };
}

/** Signs the claims as a SET. */
export function mintSet(claims: SecurityEventTokenClaims, key: TransmitterKey): Promise<string> {
  return mintSecurityEventToken(claims, key.signer);
}

/** Signs any header and payload as given (for refusal fixtures). */
export async function signRawSet(
  header: Record<string, unknown>,
  payload: unknown,
  key: TransmitterKey,
): Promise<string> {
  return new CompactSign(new TextEncoder().encode(JSON.stringify(payload)))
    .setProtectedHeader({ alg: 'ES256', ...header } as { alg: string })
    .sign(key.signer.privateKey);
}
