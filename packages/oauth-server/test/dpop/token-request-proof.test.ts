import { createDpopNonces, createMemoryDpopReplayStore } from '@ema/dpop';
import { MEDIA_TYPE_FORM } from '@ema/protocol';
import { calculateThumbprint, generateKeyPair, generateProof, type KeyPair } from 'dpop';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  type GrantModule,
  handleTokenRequest,
  type TokenEndpointDpopOptions,
  tokenEndpointDpop,
} from '../../src/index.js';
import { basic, findClient, form, type TestClient } from '../fixtures.js';

const HTU = 'https://as.example/token';

/** Answers with the thumbprint the pipeline handed over, to observe the binding. */
const bindingGrant: GrantModule<TestClient> = {
  grantType: 'urn:test:binding',
  async handler(ctx) {
    return { access_token: ctx.dpop?.jkt ?? 'unbound', token_type: ctx.dpop ? 'DPoP' : 'Bearer' };
  },
};

let keys: KeyPair;
beforeAll(async () => {
  keys = await generateKeyPair('ES256');
});

function endpoint(dpop: Partial<TokenEndpointDpopOptions<TestClient>> = {}) {
  const options = {
    grants: [bindingGrant],
    findClient,
    dpop: { htu: HTU, algorithms: ['ES256'], replay: createMemoryDpopReplayStore(), ...dpop },
  };
  return (proof: string | undefined) =>
    handleTokenRequest(
      {
        contentType: MEDIA_TYPE_FORM,
        authorization: basic('simple', 'simple-secret'),
        body: form({ grant_type: 'urn:test:binding' }),
        dpop: proof,
      },
      options,
    );
}

describe('the DPoP step of the token endpoint', () => {
  it('[KIT-DPOP-TOKEN-REQUEST] hands the proof key thumbprint to the grant, and nothing without a proof', async () => {
    const send = endpoint();
    const bound = await send(await generateProof(keys, HTU, 'POST'));
    expect(bound.status).toBe(200);
    expect(bound.body).toMatchObject({ access_token: await calculateThumbprint(keys.publicKey), token_type: 'DPoP' });
    expect((await send(undefined)).body).toMatchObject({ access_token: 'unbound', token_type: 'Bearer' });
  });

  it('[KIT-DPOP-TOKEN-REQUEST] refuses a bad proof with 400 invalid_dpop_proof', async () => {
    const send = endpoint();
    const proof = await generateProof(keys, HTU, 'POST');
    expect((await send(proof)).status).toBe(200);
    const replayed = await send(proof);
    expect(replayed.status).toBe(400);
    expect(replayed.body).toEqual({
      error: 'invalid_dpop_proof',
      error_description: 'The DPoP proof was already used',
    });
    const elsewhere = await send(await generateProof(keys, 'https://other.example/token', 'POST'));
    expect(elsewhere.body).toEqual({
      error: 'invalid_dpop_proof',
      error_description: 'The DPoP proof was made for another request',
    });
  });

  it('[KIT-DPOP-CLIENT-REQUIRED] refuses a request without a proof from a client that must use DPoP', async () => {
    const send = endpoint({ requiredFor: (client) => client.clientId === 'simple' });
    const refused = await send(undefined);
    expect(refused.status).toBe(400);
    expect(refused.body).toEqual({ error: 'invalid_dpop_proof', error_description: 'A DPoP proof is required' });
  });

  it('[DPOP-PROOF-NONCE] answers use_dpop_nonce with a DPoP-Nonce header, and accepts the retry that carries it', async () => {
    const send = endpoint({ nonces: createDpopNonces() });
    const first = await send(await generateProof(keys, HTU, 'POST'));
    expect(first.status).toBe(400);
    expect(first.body).toMatchObject({ error: 'use_dpop_nonce' });
    const nonce = first.headers['DPoP-Nonce'];
    expect(nonce).toEqual(expect.any(String));
    expect(first.headers['Cache-Control']).toBe('no-store');
    const retry = await send(await generateProof(keys, HTU, 'POST', nonce));
    expect(retry.status).toBe(200);
  });

  it('[KIT-DPOP-CLIENT-REQUIRED] [DPOP-PROOF-NONCE] builds the endpoint options from the operator settings: required clients, nonces', async () => {
    const options = tokenEndpointDpop<TestClient>(
      { requiredClients: ['simple'], nonces: true },
      { htu: HTU, algorithms: ['ES256'], replay: createMemoryDpopReplayStore(), now: Date.now },
    );
    const send = endpoint(options);
    expect((await send(undefined)).body).toEqual({
      error: 'invalid_dpop_proof',
      error_description: 'A DPoP proof is required',
    });
    const first = await send(await generateProof(keys, HTU, 'POST'));
    expect(first.body).toMatchObject({ error: 'use_dpop_nonce' });
    const retry = await send(await generateProof(keys, HTU, 'POST', first.headers['DPoP-Nonce']));
    expect(retry.status).toBe(200);
  });
});
