/** A stand-in enterprise IdP for the RAS tests: an ES256 key pair whose JWKS is served through an injected fetch. */
import { randomUUID } from 'node:crypto';
import { mintIdJag, type Signer } from '@ema/jwt';
import type { IdJagClaims } from '@ema/protocol';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, type JWK } from 'jose';

export const IDP_ISSUER = 'http://localhost:3100';
export const IDP_JWKS_URI = `${IDP_ISSUER}/jwks`;
export const RAS_ISSUER = 'http://localhost:3200';
export const RESOURCE = 'http://localhost:3300/mcp';
export const CLIENT_ID = 'acme-agent-host';
export const CLIENT_SECRET = 'acme-agent-host-dev-secret';

/** Claim overrides; `undefined` removes the claim. */
export type ClaimOverrides = { [K in keyof IdJagClaims]?: IdJagClaims[K] | undefined };

/** A signing key with its public JWK. */
export interface TestKey {
  signer: Signer;
  publicJwk: JWK;
}

/** Generates an ES256 key, `kid` = its RFC 7638 thumbprint. */
export async function generateTestKey(alg = 'ES256'): Promise<TestKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  const publicJwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(publicJwk);
  return { signer: { kid, alg, privateKey }, publicJwk: { ...publicJwk, kid, alg, use: 'sig' } };
}

/** The test IdP: current key, published keys, and a fetch that serves its JWKS. */
export class TestIdp {
  /** Keys published in the JWKS. */
  published: TestKey[];
  current: TestKey;
  jwksFetches = 0;
  /** `false` takes the key endpoint down: it answers 503 (an IdP outage). */
  available = true;

  private constructor(key: TestKey) {
    this.current = key;
    this.published = [key];
  }

  static async create(): Promise<TestIdp> {
    return new TestIdp(await generateTestKey());
  }

  /** Rotates: a new current key, published alongside the old one. */
  async rotate(): Promise<void> {
    this.current = await generateTestKey();
    this.published = [...this.published, this.current];
  }

  /** `fetch` that answers the IdP's discovery document and JWKS URI and 404s everything else. */
  readonly fetch: typeof fetch = async (input) => {
    const url = input instanceof Request ? input.url : String(input);
    if (url === `${IDP_ISSUER}/.well-known/openid-configuration`) {
      return Response.json({
        issuer: IDP_ISSUER,
        authorization_endpoint: `${IDP_ISSUER}/authorize`,
        token_endpoint: `${IDP_ISSUER}/token`,
        jwks_uri: IDP_JWKS_URI,
        response_types_supported: ['code'],
        subject_types_supported: ['public'],
        id_token_signing_alg_values_supported: ['ES256'],
        code_challenge_methods_supported: ['S256'],
        authorization_response_iss_parameter_supported: true,
      });
    }
    if (url !== IDP_JWKS_URI) return new Response('not found', { status: 404 });
    this.jwksFetches += 1;
    if (!this.available) return new Response('unavailable', { status: 503 });
    return Response.json({ keys: this.published.map((key) => key.publicJwk) });
  };

  /** Valid claims for the demo world at `nowSeconds`, with overrides. */
  claims(nowSeconds: number, overrides: ClaimOverrides = {}): IdJagClaims {
    const claims = {
      iss: IDP_ISSUER,
      sub: 'idp-user-alice',
      aud: RAS_ISSUER,
      client_id: CLIENT_ID,
      jti: randomUUID(),
      iat: nowSeconds,
      exp: nowSeconds + 300,
      resource: RESOURCE,
      scope: 'tickets.read tickets.write',
      email: 'alice@acme.example',
      name: 'Alice Anders',
      ...overrides,
    };
    return Object.fromEntries(Object.entries(claims).filter(([, value]) => value !== undefined)) as IdJagClaims;
  }

  /** A signed ID-JAG (typ `oauth-id-jag+jwt`) with the current key. */
  mint(nowSeconds: number, overrides: ClaimOverrides = {}, signer: Signer = this.current.signer): Promise<string> {
    return mintIdJag(this.claims(nowSeconds, overrides), signer);
  }
}
