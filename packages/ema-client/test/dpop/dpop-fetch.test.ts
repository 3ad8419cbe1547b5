import { createDpopNonces, createMemoryDpopReplayStore, DpopProofError, verifyDpopProof } from '@ema/dpop';
import { describe, expect, it } from 'vitest';
import { DpopNonceMemory, dpopFetch, generateDpopKeyPair } from '../../src/index.js';

const TOKEN_ENDPOINT = 'https://ras.example/token';
const MCP = 'https://mcp.example/mcp';

/** A server that checks each proof with @ema/dpop and asks for its nonce the way RFC 9449 §8 and §9 say. */
function server(kind: 'token' | 'resource') {
  const nonces = createDpopNonces();
  const replay = createMemoryDpopReplayStore();
  const seen: { proofs: string[]; statuses: number[] } = { proofs: [], statuses: [] };
  const fetch = async (input: string | URL, init?: RequestInit): Promise<Response> => {
    const headers = new Headers(init?.headers);
    const proof = headers.get('dpop') ?? '';
    seen.proofs.push(proof);
    const answer = (status: number, body: unknown, extra: Record<string, string> = {}) => {
      seen.statuses.push(status);
      return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...extra } });
    };
    try {
      await verifyDpopProof(proof, {
        htm: init?.method ?? 'GET',
        htu: String(input),
        algorithms: ['ES256'],
        replay,
        nonces,
        ...(kind === 'resource' ? { accessToken: 'the-token' } : {}),
      });
      return answer(200, { ok: true }, { 'DPoP-Nonce': nonces.current() });
    } catch (error) {
      if (!(error instanceof DpopProofError) || error.code !== 'ERR_DPOP_NONCE_REQUIRED') return answer(400, {});
      if (kind === 'token') return answer(400, { error: 'use_dpop_nonce' }, { 'DPoP-Nonce': nonces.current() });
      return answer(
        401,
        {},
        { 'WWW-Authenticate': 'DPoP error="use_dpop_nonce", algs="ES256"', 'DPoP-Nonce': nonces.current() },
      );
    }
  };
  return { fetch, seen };
}

describe('dpopFetch', () => {
  it('[AGENT-DPOP-NONCE-RETRY] at a token endpoint, retries once with the nonce of a use_dpop_nonce answer, then reuses it', async () => {
    const { fetch, seen } = server('token');
    const send = dpopFetch(fetch, { key: await generateDpopKeyPair(), nonces: new DpopNonceMemory() });
    const body = new URLSearchParams({ grant_type: 'x' });
    expect((await send(TOKEN_ENDPOINT, { method: 'POST', body })).status).toBe(200);
    expect(seen.statuses).toEqual([400, 200]);
    // The nonce is remembered: the next request needs no extra round trip.
    expect((await send(TOKEN_ENDPOINT, { method: 'POST', body })).status).toBe(200);
    expect(seen.statuses).toEqual([400, 200, 200]);
    expect(new Set(seen.proofs).size).toBe(3);
  });

  it('[AGENT-DPOP-NONCE-RETRY] at a resource, answers a 401 DPoP use_dpop_nonce challenge once, with ath bound to the token', async () => {
    const { fetch, seen } = server('resource');
    const send = dpopFetch(fetch, {
      key: await generateDpopKeyPair(),
      nonces: new DpopNonceMemory(),
      accessToken: 'the-token',
    });
    expect((await send(`${MCP}?q=1`, { method: 'POST', body: '{}' })).status).toBe(200);
    expect(seen.statuses).toEqual([401, 200]);
  });

  it('[AGENT-DPOP-NONCE-RETRY] retries only once', async () => {
    let calls = 0;
    const fetch = async () => {
      calls += 1;
      return new Response(JSON.stringify({ error: 'use_dpop_nonce' }), {
        status: 400,
        headers: { 'DPoP-Nonce': `n${calls}` },
      });
    };
    const send = dpopFetch(fetch, { key: await generateDpopKeyPair(), nonces: new DpopNonceMemory() });
    expect((await send(TOKEN_ENDPOINT, { method: 'POST', body: 'a=b' })).status).toBe(400);
    expect(calls).toBe(2);
  });
});
