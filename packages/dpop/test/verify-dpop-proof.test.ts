import { generateKeyPair, generateProof, type KeyPair } from 'dpop';
import { exportJWK, generateKeyPair as joseKeyPair, SignJWT } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  accessTokenHash,
  createDpopNonces,
  createMemoryDpopReplayStore,
  type DpopErrorCode,
  readDpopHeader,
  type VerifyDpopProofOptions,
  verifyDpopProof,
} from '../src/index.js';

const HTU = 'https://ras.example.com/token';
let keys: KeyPair;

beforeAll(async () => {
  keys = await generateKeyPair('ES256');
});

function options(extra: Partial<VerifyDpopProofOptions> = {}): VerifyDpopProofOptions {
  return { htm: 'POST', htu: HTU, algorithms: ['ES256'], replay: createMemoryDpopReplayStore(), ...extra };
}

async function refusal(proof: string, opts: VerifyDpopProofOptions): Promise<DpopErrorCode | undefined> {
  try {
    await verifyDpopProof(proof, opts);
    return undefined;
  } catch (error) {
    return (error as { code?: DpopErrorCode }).code;
  }
}

/** A proof with a hand-made header or claims (the `dpop` library only makes correct ones). */
async function craft(header: Record<string, unknown>, claims: Record<string, unknown>): Promise<string> {
  const pair = await joseKeyPair('ES256', { extractable: true });
  const jwk = await exportJWK(pair.publicKey);
  return new SignJWT({ jti: crypto.randomUUID(), htm: 'POST', htu: HTU, iat: Math.floor(Date.now() / 1000), ...claims })
    .setProtectedHeader({ alg: 'ES256', typ: 'dpop+jwt', jwk, ...header })
    .sign(pair.privateKey);
}

describe('verifyDpopProof', () => {
  it('[DPOP-PROOF-SIGNATURE] accepts a proof of the dpop library and returns the RFC 7638 thumbprint of its key', async () => {
    const proof = await generateProof(keys, HTU, 'POST');
    const verified = await verifyDpopProof(proof, options());
    const { calculateThumbprint } = await import('dpop');
    expect(verified.jkt).toBe(await calculateThumbprint(keys.publicKey));
  });

  it('[DPOP-PROOF-SYNTAX] refuses two proofs, or anything but one compact JWS', async () => {
    const proof = await generateProof(keys, HTU, 'POST');
    expect(await refusal(`${proof}, ${proof}`, options())).toBe('ERR_DPOP_MALFORMED');
    expect(await refusal('not.a-jwt', options())).toBe('ERR_DPOP_MALFORMED');
    expect(() => readDpopHeader([proof, proof])).toThrow(expect.objectContaining({ code: 'ERR_DPOP_MALFORMED' }));
    expect(readDpopHeader([proof])).toBe(proof);
    expect(readDpopHeader(undefined)).toBeUndefined();
  });

  it('[DPOP-PROOF-SYNTAX] refuses a proof without jti, htm, htu or iat', async () => {
    for (const missing of ['jti', 'htm', 'htu', 'iat']) {
      expect(await refusal(await craft({}, { [missing]: undefined }), options())).toBe('ERR_DPOP_MALFORMED');
    }
  });

  it('[DPOP-PROOF-SYNTAX] refuses a jti that is empty, too long or holds a control character', async () => {
    for (const jti of ['', 'j'.repeat(257), 'j\u0000', 'j\n']) {
      expect(await refusal(await craft({}, { jti }), options()), JSON.stringify(jti)).toBe('ERR_DPOP_MALFORMED');
    }
  });

  it('[DPOP-PROOF-TYP] refuses a typ other than dpop+jwt', async () => {
    expect(await refusal(await craft({ typ: 'JWT' }, {}), options())).toBe('ERR_DPOP_TYP_MISMATCH');
    expect(await refusal(await craft({ typ: 'application/dpop+jwt' }, {}), options())).toBe('ERR_DPOP_TYP_MISMATCH');
  });

  it('[DPOP-PROOF-ALG] refuses an alg off the allow-list, none and HS256 even when listed', async () => {
    const proof = await generateProof(keys, HTU, 'POST');
    expect(await refusal(proof, options({ algorithms: ['PS256'] }))).toBe('ERR_DPOP_ALG_NOT_ALLOWED');
    const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'dpop+jwt', jwk: {} })).toString('base64url');
    const body = proof.split('.')[1];
    expect(await refusal(`${header}.${body}.x`, options({ algorithms: ['none'] }))).toBe('ERR_DPOP_ALG_NOT_ALLOWED');
  });

  it('[DPOP-PROOF-JWK-PUBLIC] refuses a proof whose jwk is missing or holds the private key', async () => {
    const pair = await joseKeyPair('ES256', { extractable: true });
    const privateJwk = await exportJWK(pair.privateKey);
    expect(await refusal(await craft({ jwk: privateJwk }, {}), options())).toBe('ERR_DPOP_JWK_INVALID');
    expect(await refusal(await craft({ jwk: undefined }, {}), options())).toBe('ERR_DPOP_JWK_INVALID');
  });

  it('[DPOP-PROOF-SIGNATURE] refuses a proof whose signature is not by the embedded key', async () => {
    const proof = await generateProof(keys, HTU, 'POST');
    const other = await craft({}, {});
    const [header, body] = proof.split('.');
    expect(await refusal(`${header}.${body}.${other.split('.')[2]}`, options())).toBe('ERR_DPOP_SIGNATURE_INVALID');
  });

  it('[DPOP-PROOF-HTM] refuses a proof made for another method', async () => {
    expect(await refusal(await generateProof(keys, HTU, 'GET'), options())).toBe('ERR_DPOP_HTM_MISMATCH');
  });

  it('[DPOP-PROOF-HTU] compares htu normalized, ignoring query and fragment, and refuses another URI', async () => {
    const normalized = await generateProof(keys, 'HTTPS://RAS.example.com:443/token', 'POST');
    await expect(verifyDpopProof(normalized, options({ htu: `${HTU}?x=1#f` }))).resolves.toBeDefined();
    expect(await refusal(await generateProof(keys, `${HTU}/`, 'POST'), options())).toBe('ERR_DPOP_HTU_MISMATCH');
    expect(await refusal(await generateProof(keys, 'http://ras.example.com/token', 'POST'), options())).toBe(
      'ERR_DPOP_HTU_MISMATCH',
    );
  });

  it('[DPOP-PROOF-NONCE] requires a current server nonce when the server hands them out', async () => {
    let now = Date.now();
    const nonces = createDpopNonces({ now: () => now, stepSeconds: 60 });
    expect(await refusal(await generateProof(keys, HTU, 'POST'), options({ nonces }))).toBe('ERR_DPOP_NONCE_REQUIRED');
    const nonce = nonces.current();
    await expect(
      verifyDpopProof(await generateProof(keys, HTU, 'POST', nonce), options({ nonces })),
    ).resolves.toBeDefined();
    expect(await refusal(await generateProof(keys, HTU, 'POST', `${nonce}x`), options({ nonces }))).toBe(
      'ERR_DPOP_NONCE_REQUIRED',
    );
    now += 121_000;
    expect(nonces.isValid(nonce)).toBe(false);
    expect(nonces.isValid(createDpopNonces({ stepSeconds: 60, now: () => now }).current())).toBe(false);
  });

  it('[DPOP-PROOF-IAT] refuses a proof older than the window or from the future', async () => {
    const proof = await generateProof(keys, HTU, 'POST');
    expect(await refusal(proof, options({ currentDate: new Date(Date.now() + 120_000) }))).toBe(
      'ERR_DPOP_IAT_OUT_OF_WINDOW',
    );
    expect(await refusal(proof, options({ currentDate: new Date(Date.now() - 60_000) }))).toBe(
      'ERR_DPOP_IAT_OUT_OF_WINDOW',
    );
  });

  it('[DPOP-PROOF-ATH] at a resource, requires ath to be the hash of the access token sent', async () => {
    const resource = { htm: 'GET', htu: 'https://mcp.example.com/mcp', accessToken: 'token-a' };
    const good = await generateProof(keys, resource.htu, 'GET', undefined, 'token-a');
    await expect(verifyDpopProof(good, options(resource))).resolves.toBeDefined();
    const other = await generateProof(keys, resource.htu, 'GET', undefined, 'token-b');
    expect(await refusal(other, options(resource))).toBe('ERR_DPOP_ATH_MISMATCH');
    const none = await generateProof(keys, resource.htu, 'GET');
    expect(await refusal(none, options(resource))).toBe('ERR_DPOP_ATH_MISMATCH');
    expect(accessTokenHash('token-a')).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('[DPOP-PROOF-JKT] refuses a proof by another key than the one the token is bound to', async () => {
    const proof = await generateProof(keys, HTU, 'POST');
    const { jkt } = await verifyDpopProof(proof, options());
    const other = await generateKeyPair('ES256');
    expect(await refusal(await generateProof(other, HTU, 'POST'), options({ jkt }))).toBe('ERR_DPOP_KEY_MISMATCH');
    await expect(verifyDpopProof(await generateProof(keys, HTU, 'POST'), options({ jkt }))).resolves.toBeDefined();
  });

  it('[DPOP-PROOF-REPLAY] accepts a proof once, and does not burn it when another check refuses it', async () => {
    const replay = createMemoryDpopReplayStore();
    const proof = await generateProof(keys, HTU, 'POST');
    expect(await refusal(proof, options({ replay, htm: 'GET' }))).toBe('ERR_DPOP_HTM_MISMATCH');
    await expect(verifyDpopProof(proof, options({ replay }))).resolves.toBeDefined();
    expect(await refusal(proof, options({ replay }))).toBe('ERR_DPOP_REPLAYED');
  });
});
