import {
  type AccessTokenClaims,
  type IdJagClaims,
  type IdTokenClaims,
  TYP_ACCESS_TOKEN,
  TYP_ID_JAG,
  TYP_ID_TOKEN,
} from '@ema/protocol';
import { type CryptoKey, type JWTPayload, type KeyObject, SignJWT } from 'jose';

/** A private signing key with the `kid` and `alg` it is published under. */
export interface Signer {
  kid: string;
  alg: string;
  privateKey: CryptoKey | KeyObject;
}

async function mint(claims: object, typ: string, signer: Signer): Promise<string> {
  // RFC 8725 §3.11: explicit typing; the profile puts `kid` on every token so verifiers pick the key by id.
  return new SignJWT({ ...claims } as JWTPayload)
    .setProtectedHeader({ alg: signer.alg, kid: signer.kid, typ })
    .sign(signer.privateKey);
}

/** Signs an ID-JAG (ID-JAG §3): header `{ alg, kid, typ: "oauth-id-jag+jwt" }`, the claims as given. */
export function mintIdJag(claims: IdJagClaims, signer: Signer): Promise<string> {
  return mint(claims, TYP_ID_JAG, signer);
}

/** Signs an RFC 9068 JWT access token: header `{ alg, kid, typ: "at+jwt" }`, the claims as given. */
export function mintAccessToken(claims: AccessTokenClaims, signer: Signer): Promise<string> {
  return mint(claims, TYP_ACCESS_TOKEN, signer);
}

/** Signs an OIDC ID token: header `{ alg, kid, typ: "JWT" }`, the claims as given. */
export function mintIdToken(claims: IdTokenClaims, signer: Signer): Promise<string> {
  return mint(claims, TYP_ID_TOKEN, signer);
}
