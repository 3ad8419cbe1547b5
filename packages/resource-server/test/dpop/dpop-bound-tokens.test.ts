import { createDpopNonces, createMemoryDpopReplayStore } from '@ema/dpop';
import { InvalidTokenError } from '@ema/oauth-server';
import { calculateThumbprint, generateKeyPair, generateProof, type KeyPair } from 'dpop';
import { beforeAll, describe, expect, it } from 'vitest';
import { bearerRefusal } from '../../src/bearer-refusal.js';
import { DpopRefusalError } from '../../src/dpop/dpop-refusal-error.js';
import { NoBearerTokenError } from '../../src/no-bearer-token-error.js';
import { protectedResourceMetadata } from '../../src/protected-resource-metadata.js';
import { type VerifyBearerTokenOptions, verifyBearerToken } from '../../src/verify-bearer-token.js';
import { createTestKey, mintToken, RAS_ISSUER, RESOURCE } from '../support/tokens.js';

const key = await createTestKey();
let client: KeyPair;
let jkt: string;
beforeAll(async () => {
  client = await generateKeyPair('ES256');
  jkt = await calculateThumbprint(client.publicKey);
});

function options(dpop: Partial<NonNullable<VerifyBearerTokenOptions['dpop']>> = {}): VerifyBearerTokenOptions {
  return {
    issuer: RAS_ISSUER,
    resource: RESOURCE,
    keys: key.keys,
    algorithms: ['ES256'],
    dpop: { algorithms: ['ES256'], replay: createMemoryDpopReplayStore(), ...dpop },
  };
}

const challenge = {
  resourceMetadata: 'https://mcp.example/.well-known/oauth-protected-resource/mcp',
  scope: 'tickets.read',
  dpop: { algorithms: ['ES256'], required: false },
};

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => undefined,
    (error: unknown) => error,
  );
}

describe('DPoP-bound access tokens at the resource', () => {
  it('[RS-DPOP-SCHEME] accepts a DPoP-bound token with the DPoP scheme and a proof bound to it', async () => {
    const token = await mintToken(key, { cnf: { jkt } });
    const proof = await generateProof(client, RESOURCE, 'POST', undefined, token);
    const principal = await verifyBearerToken(
      { authorization: `DPoP ${token}`, url: '/mcp?x=1', method: 'POST', dpop: proof },
      options(),
    );
    expect(principal.jkt).toBe(jkt);
  });

  it('[RS-DPOP-BOUND-NOT-BEARER] refuses a DPoP-bound token sent as a bearer token (a lifted token)', async () => {
    const token = await mintToken(key, { cnf: { jkt } });
    const error = await rejection(
      verifyBearerToken({ authorization: `Bearer ${token}`, url: '/mcp', method: 'POST' }, options()),
    );
    expect(error).toBeInstanceOf(InvalidTokenError);
    const refusal = bearerRefusal(error, challenge);
    expect(refusal?.status).toBe(401);
    expect(refusal?.headers['www-authenticate']).toBe(
      'Bearer error="invalid_token", error_description="A DPoP-bound access token must be sent with the DPoP scheme", ' +
        `resource_metadata="${challenge.resourceMetadata}", scope="tickets.read", ` +
        `DPoP algs="ES256", resource_metadata="${challenge.resourceMetadata}", scope="tickets.read"`,
    );
  });

  it('[DPOP-PROOF-JKT] refuses a lifted token presented with a proof by another key, or with no proof', async () => {
    const token = await mintToken(key, { cnf: { jkt } });
    const thief = await generateKeyPair('ES256');
    const stolen = await generateProof(thief, RESOURCE, 'POST', undefined, token);
    const request = { authorization: `DPoP ${token}`, url: '/mcp', method: 'POST' };
    const error = await rejection(verifyBearerToken({ ...request, dpop: stolen }, options()));
    expect(error).toBeInstanceOf(DpopRefusalError);
    const refusal = bearerRefusal(error, challenge);
    expect(refusal?.status).toBe(401);
    expect(refusal?.headers['www-authenticate']).toBe(
      'DPoP error="invalid_dpop_proof", error_description="The DPoP proof is not signed with the key the access token is bound to", ' +
        `algs="ES256", resource_metadata="${challenge.resourceMetadata}", scope="tickets.read"`,
    );
    expect(await rejection(verifyBearerToken(request, options()))).toBeInstanceOf(DpopRefusalError);
  });

  it('[DPOP-PROOF-ATH] refuses a proof made for another token, and a proof for another method or path', async () => {
    const token = await mintToken(key, { cnf: { jkt } });
    const request = { authorization: `DPoP ${token}`, url: '/mcp', method: 'POST' };
    const otherToken = await generateProof(client, RESOURCE, 'POST', undefined, 'another-token');
    expect(
      ((await rejection(verifyBearerToken({ ...request, dpop: otherToken }, options()))) as DpopRefusalError)
        .description,
    ).toBe('The DPoP proof was made for another access token');
    const get = await generateProof(client, RESOURCE, 'GET', undefined, token);
    expect(await rejection(verifyBearerToken({ ...request, dpop: get }, options()))).toBeInstanceOf(DpopRefusalError);
    const path = await generateProof(client, `${RESOURCE}/other`, 'POST', undefined, token);
    expect(await rejection(verifyBearerToken({ ...request, dpop: path }, options()))).toBeInstanceOf(DpopRefusalError);
  });

  it('[RS-DPOP-SCHEME] refuses an unbound token sent with the DPoP scheme', async () => {
    const token = await mintToken(key);
    const proof = await generateProof(client, RESOURCE, 'POST', undefined, token);
    const error = await rejection(
      verifyBearerToken({ authorization: `DPoP ${token}`, url: '/mcp', method: 'POST', dpop: proof }, options()),
    );
    expect(error).toBeInstanceOf(InvalidTokenError);
  });

  it('[DPOP-PROOF-NONCE] answers 401 use_dpop_nonce with a DPoP-Nonce header, and accepts the retry', async () => {
    const token = await mintToken(key, { cnf: { jkt } });
    const opts = options({ nonces: createDpopNonces() });
    const request = { authorization: `DPoP ${token}`, url: '/mcp', method: 'POST' };
    const first = await generateProof(client, RESOURCE, 'POST', undefined, token);
    const refusal = bearerRefusal(await rejection(verifyBearerToken({ ...request, dpop: first }, opts)), challenge);
    expect(refusal?.status).toBe(401);
    expect(refusal?.headers['www-authenticate']).toMatch(/^DPoP error="use_dpop_nonce", /);
    const nonce = refusal?.headers['dpop-nonce'];
    expect(nonce).toEqual(expect.any(String));
    const retry = await generateProof(client, RESOURCE, 'POST', nonce, token);
    await expect(verifyBearerToken({ ...request, dpop: retry }, opts)).resolves.toBeDefined();
  });

  it('[RS-DPOP-REQUIRED] with DPoP required, refuses bearer tokens, challenges in the DPoP scheme only and says so in the metadata', async () => {
    const bearer = await mintToken(key);
    const opts = options({ required: true });
    const error = await rejection(
      verifyBearerToken({ authorization: `Bearer ${bearer}`, url: '/mcp', method: 'POST' }, opts),
    );
    expect(error).toBeInstanceOf(InvalidTokenError);
    const required = { ...challenge, dpop: { algorithms: ['ES256'], required: true } };
    expect(bearerRefusal(error, required)?.headers['www-authenticate']).toMatch(/^DPoP error="invalid_token", /);
    expect(bearerRefusal(new NoBearerTokenError(), required)?.headers['www-authenticate']).toBe(
      `DPoP algs="ES256", resource_metadata="${challenge.resourceMetadata}", scope="tickets.read"`,
    );
    const metadata = protectedResourceMetadata({
      resource: RESOURCE,
      authorizationServer: RAS_ISSUER,
      scopesSupported: ['tickets.read'],
      dpop: { algorithms: ['ES256'], required: true },
    });
    expect(metadata).toMatchObject({
      dpop_signing_alg_values_supported: ['ES256'],
      dpop_bound_access_tokens_required: true,
    });
    const optional = protectedResourceMetadata({
      resource: RESOURCE,
      authorizationServer: RAS_ISSUER,
      scopesSupported: ['tickets.read'],
      dpop: { algorithms: ['ES256'], required: false },
    });
    expect(optional).not.toHaveProperty('dpop_bound_access_tokens_required');
  });

  it('[RS-DPOP-SCHEME] keeps plain bearer tokens working when DPoP is not required', async () => {
    const bearer = await mintToken(key);
    await expect(
      verifyBearerToken({ authorization: `Bearer ${bearer}`, url: '/mcp', method: 'POST' }, options()),
    ).resolves.toMatchObject({ jkt: undefined });
  });
});
