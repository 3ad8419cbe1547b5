/** Test double of the RAS: a signing key, its JWKS as a local key resolver, and real signed access tokens. */
import { randomUUID } from 'node:crypto';
import { type KeyResolver, localJwks, mintAccessToken, type Signer } from '@ema/jwt';
import { ACR_MULTI_FACTOR, type AccessTokenClaims } from '@ema/protocol';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';

export const RAS_ISSUER = 'http://localhost:3200';
export const IDP_ISSUER = 'http://localhost:3100';
export const RESOURCE = 'http://localhost:3300/mcp';
export const PRM_URL = 'http://localhost:3300/.well-known/oauth-protected-resource/mcp';

/** A signing key pair with its `kid`. */
export interface TestKey {
  signer: Signer;
  keys: KeyResolver;
}

/** Generates an ES256 key; `keys` resolves only this key (by `kid`). */
export async function createTestKey(kid = `ras-${randomUUID().slice(0, 8)}`): Promise<TestKey> {
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  const jwk = { ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' };
  return { signer: { kid, alg: 'ES256', privateKey }, keys: localJwks({ keys: [jwk] }) };
}

/** Claim overrides; `undefined` removes the claim. */
export type ClaimOverrides = { [K in keyof AccessTokenClaims]?: AccessTokenClaims[K] | undefined };

/**
 * Access-token claims as the RAS issues them for alice after her passkey step-up (her write access needs it),
 * overridable per test.
 */
export function accessTokenClaims(overrides: ClaimOverrides = {}): AccessTokenClaims {
  const now = Math.floor(Date.now() / 1000);
  const claims: Record<string, unknown> = {
    iss: RAS_ISSUER,
    sub: 'alice',
    aud: RESOURCE,
    client_id: 'acme-agent-host',
    jti: randomUUID(),
    iat: now,
    exp: now + 900,
    scope: 'tickets.read tickets.write',
    auth_time: now - 60,
    acr: ACR_MULTI_FACTOR,
    amr: ['pwd', 'hwk', 'user', 'mfa'],
    email: 'alice@acme.example',
    id_jag_jti: randomUUID(),
    id_jag_iss: IDP_ISSUER,
    ...overrides,
  };
  for (const [name, value] of Object.entries(claims)) if (value === undefined) delete claims[name];
  return claims as AccessTokenClaims;
}

/** Mints a real RFC 9068 access token (`typ: at+jwt`). */
export function mintToken(key: TestKey, overrides: ClaimOverrides = {}): Promise<string> {
  return mintAccessToken(accessTokenClaims(overrides), key.signer);
}

/** Mints a token signed by `key` with another `typ` (e.g. an ID token or an ID-JAG presented as an access token). */
export function mintWithTyp(key: TestKey, typ: string, overrides: ClaimOverrides = {}): Promise<string> {
  return new SignJWT({ ...accessTokenClaims(overrides) })
    .setProtectedHeader({ alg: key.signer.alg, kid: key.signer.kid, typ })
    .sign(key.signer.privateKey);
}
