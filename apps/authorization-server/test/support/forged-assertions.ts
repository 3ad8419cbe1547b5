/** Assertions that must be refused, built with the test IdP's keys or by hand. */
import { TYP_ID_JAG } from '@ema/protocol';
import { base64url, SignJWT } from 'jose';
import { generateTestKey, RAS_ISSUER, type TestIdp } from './test-idp.js';

const encode = (value: object): string => base64url.encode(JSON.stringify(value));

/** An ID-JAG signed by the IdP's current key but with a chosen protected header. */
export async function signWithHeader(idp: TestIdp, now: number, header: Record<string, unknown>, signOptions = {}) {
  return new SignJWT({ ...idp.claims(now) })
    .setProtectedHeader({ alg: 'ES256', kid: idp.current.signer.kid, typ: TYP_ID_JAG, ...header })
    .sign(idp.current.signer.privateKey, signOptions);
}

/** RFC 8725 §3.1: `alg: none`, unsigned. */
export function unsigned(idp: TestIdp, now: number): string {
  return `${encode({ alg: 'none', typ: TYP_ID_JAG, kid: idp.current.signer.kid })}.${encode(idp.claims(now))}.`;
}

/** RFC 8725 §2.1 algorithm confusion: HS256 keyed with the IdP's public JWK. */
export function hmacWithPublicKey(idp: TestIdp, now: number): Promise<string> {
  const secret = new TextEncoder().encode(JSON.stringify(idp.current.publicJwk));
  return new SignJWT({ ...idp.claims(now) })
    .setProtectedHeader({ alg: 'HS256', typ: TYP_ID_JAG, kid: idp.current.signer.kid })
    .sign(secret);
}

/** Signed by an attacker's key while claiming the IdP's `kid`. */
export async function signedByImpostor(idp: TestIdp, now: number): Promise<string> {
  const impostor = await generateTestKey();
  return idp.mint(now, {}, { ...impostor.signer, kid: idp.current.signer.kid });
}

/** Signed by a key the IdP never published. */
export async function signedByUnknownKid(idp: TestIdp, now: number): Promise<string> {
  const stranger = await generateTestKey();
  return idp.mint(now, {}, stranger.signer);
}

/** The IdP's token with one claim set to a value of the wrong type (never a 500: ID-JAG pitfalls). */
export function withWrongType(idp: TestIdp, now: number, claim: string, value: unknown): Promise<string> {
  return new SignJWT({ ...idp.claims(now), [claim]: value })
    .setProtectedHeader({ alg: 'ES256', kid: idp.current.signer.kid, typ: TYP_ID_JAG })
    .sign(idp.current.signer.privateKey);
}

export { RAS_ISSUER };
