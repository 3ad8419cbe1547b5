import { TYP_ACCESS_TOKEN, TYP_ID_JAG, TYP_ID_TOKEN } from '@ema/protocol';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { mintAccessToken, mintIdJag, mintIdToken } from '../src/index.js';
import { makeKey, NOW_S, type TestKey } from './support/fixtures.js';

let key: TestKey;

beforeAll(async () => {
  key = await makeKey('signing-1');
});

const base = { iss: 'https://issuer.example.com', sub: 'alice', aud: 'x', iat: NOW_S, exp: NOW_S + 60 };

describe('mint*', () => {
  it('[JWT-IDJAG-3-TYP] mintIdJag writes the header { alg, kid, typ: oauth-id-jag+jwt } and the claims as given', async () => {
    const claims = { ...base, client_id: 'c', jti: 'j', scope: 'a b' };
    const token = await mintIdJag(claims, key.signer);
    expect(decodeProtectedHeader(token)).toEqual({ alg: 'ES256', kid: 'signing-1', typ: TYP_ID_JAG });
    expect(decodeJwt(token)).toEqual(claims);
  });

  it('[JWT-RFC9068-TYP] mintAccessToken writes the header { alg, kid, typ: at+jwt }', async () => {
    const token = await mintAccessToken({ ...base, client_id: 'c', jti: 'j' }, key.signer);
    expect(decodeProtectedHeader(token)).toEqual({ alg: 'ES256', kid: 'signing-1', typ: TYP_ACCESS_TOKEN });
  });

  it('[JWT-RFC8725-3.11-TYP] mintIdToken writes the header { alg, kid, typ: JWT }', async () => {
    const token = await mintIdToken({ ...base, nonce: 'n' }, key.signer);
    expect(decodeProtectedHeader(token)).toEqual({ alg: 'ES256', kid: 'signing-1', typ: TYP_ID_TOKEN });
    expect(decodeJwt(token)).toEqual({ ...base, nonce: 'n' });
  });

  it('[JWT-SIGN-FINITE-DATES] refuses a date claim that is not a finite number instead of signing it as null', async () => {
    await expect(mintIdJag({ ...base, exp: Number.NaN, client_id: 'c', jti: 'j' }, key.signer)).rejects.toThrow(
      /"exp" must be a finite number/,
    );
    await expect(
      mintAccessToken({ ...base, iat: Number.POSITIVE_INFINITY, client_id: 'c', jti: 'j' }, key.signer),
    ).rejects.toThrow(/"iat" must be a finite number/);
  });
});
