import {
  type AccessTokenClaims,
  type IdJagClaims,
  type IdTokenClaims,
  type SecurityEventTokenClaims,
  TYP_ACCESS_TOKEN,
  TYP_ID_JAG,
  TYP_ID_TOKEN,
  TYP_SECEVENT,
} from '@ema/protocol';
import { CompactSign, type CryptoKey, type KeyObject } from 'jose';
import { ES256, p256KeyObject, signEs256 } from './lib/es256.js';

/** A private signing key with the `kid` and `alg` it is published under. */
export interface Signer {
  kid: string;
  alg: string;
  privateKey: CryptoKey | KeyObject;
}

const utf8 = new TextEncoder();
const NUMERIC_DATES = ['iat', 'nbf', 'exp'] as const;

/**
 * Signs the claims as given: ES256 through node:crypto (`es256.ts`), any other `alg` with jose's `CompactSign` over
 * the serialized claims, never `SignJWT`, which first deep copies the claims (`structuredClone`) on every call; the
 * claims here are built by the caller for this one token.
 */
async function mint(claims: Readonly<Record<string, unknown>>, typ: string, signer: Signer): Promise<string> {
  // A NaN or Infinity date would serialize as null: refuse it, as SignJWT does.
  for (const name of NUMERIC_DATES) {
    const value = claims[name];
    if (typeof value === 'number' && !Number.isFinite(value)) throw new TypeError(`"${name}" must be a finite number`);
  }
  // RFC 8725 §3.11: explicit typing; the profile puts `kid` on every token so verifiers pick the key by id.
  const header = { alg: signer.alg, kid: signer.kid, typ };
  const payload = JSON.stringify(claims);
  if (signer.alg === ES256) {
    const privateKey = p256KeyObject(signer.privateKey, 'private', 'sign');
    if (privateKey === undefined) throw new TypeError('an ES256 signer needs a P-256 private key');
    const signingInput = `${base64url(JSON.stringify(header))}.${base64url(payload)}`;
    return `${signingInput}.${await signEs256(signingInput, privateKey)}`;
  }
  return new CompactSign(utf8.encode(payload)).setProtectedHeader(header).sign(signer.privateKey);
}

function base64url(json: string): string {
  return Buffer.from(json, 'utf8').toString('base64url');
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

/**
 * Signs a Security Event Token (RFC 8417): header `{ alg, kid, typ: "secevent+jwt" }` (RFC 8417 §2.3, SSF 1.0 §4.1
 * explicit typing), the claims as given. SSF 1.0 §4.1 forbids `sub` and `exp` in a SET (defence against confusion
 * with other JWTs): claims carrying either are refused rather than signed.
 */
export async function mintSecurityEventToken(claims: SecurityEventTokenClaims, signer: Signer): Promise<string> {
  for (const forbidden of ['sub', 'exp'] as const) {
    if (Object.hasOwn(claims, forbidden)) throw new TypeError(`a Security Event Token must not carry "${forbidden}"`);
  }
  return mint(claims, TYP_SECEVENT, signer);
}
