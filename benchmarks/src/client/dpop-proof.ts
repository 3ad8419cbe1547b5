/**
 * DPoP proofs (RFC 9449 §4.2) for the load generator, made synchronously with `node:crypto` so that a window's
 * requests can be built right before it (each proof is single use: the servers refuse a replayed `jti`). The agent
 * host makes its proofs with the `dpop` library (`@ema/ema-client`); this is load-generation tooling only.
 */
import { createHash, generateKeyPairSync, type KeyObject, randomUUID, sign } from 'node:crypto';
import { TYP_DPOP_PROOF } from '@ema/protocol';

/** One client key and the proofs it signs. */
export interface DpopProofMaker {
  /** RFC 7638 SHA-256 thumbprint of the public key: the `cnf.jkt` of what is bound to it. */
  jkt: string;
  /** A fresh proof for one request (`ath` when an access token is given). */
  proof(htm: string, htu: string, accessToken?: string): string;
}

const base64url = (value: string | Buffer) => Buffer.from(value).toString('base64url');

/** A new ES256 key and its proof maker. */
export function createDpopProofMaker(): DpopProofMaker {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const jwk = publicKey.export({ format: 'jwk' });
  const header = base64url(JSON.stringify({ typ: TYP_DPOP_PROOF, alg: 'ES256', jwk }));
  // RFC 7638 §3: the required members, lexicographic order, no whitespace.
  const jkt = createHash('sha256')
    .update(JSON.stringify({ crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y }))
    .digest('base64url');
  return { jkt, proof: (htm, htu, accessToken) => signProof(privateKey, header, htm, htu, accessToken) };
}

function signProof(key: KeyObject, header: string, htm: string, htu: string, accessToken?: string): string {
  const claims: Record<string, unknown> = { jti: randomUUID(), htm, htu, iat: Math.floor(Date.now() / 1000) };
  if (accessToken !== undefined) claims.ath = createHash('sha256').update(accessToken, 'ascii').digest('base64url');
  const input = `${header}.${base64url(JSON.stringify(claims))}`;
  const signature = sign('sha256', Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' });
  return `${input}.${signature.toString('base64url')}`;
}
