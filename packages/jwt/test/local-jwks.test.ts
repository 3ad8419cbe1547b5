import { TYP_ID_JAG } from '@ema/protocol';
import { beforeAll, describe, expect, it } from 'vitest';
import { localJwks } from '../src/index.js';
import { expectCode, makeKey, type TestKey } from './support/fixtures.js';

let first: TestKey;
let second: TestKey;
const token = { payload: 'e30', signature: '' };

beforeAll(async () => {
  first = await makeKey('k1');
  second = await makeKey('k2');
});

describe('localJwks', () => {
  it('[JWT-JWKS-KID] selects the key by kid', async () => {
    const keys = localJwks({ keys: [first.publicJwk, second.publicJwk] });
    const key = await keys({ alg: 'ES256', kid: 'k2', typ: TYP_ID_JAG }, token);
    expect(key).toBeDefined();
  });

  it('[JWT-JWKS-KID] refuses an unknown kid with ERR_JWKS_NO_MATCHING_KEY', async () => {
    const keys = localJwks({ keys: [first.publicJwk] });
    await expectCode(keys({ alg: 'ES256', kid: 'k9', typ: TYP_ID_JAG }, token), 'ERR_JWKS_NO_MATCHING_KEY', 'kid');
  });

  it('[JWT-JWKS-KID] refuses a key whose alg does not match the header', async () => {
    const keys = localJwks({ keys: [first.publicJwk] });
    await expectCode(keys({ alg: 'ES384', kid: 'k1', typ: TYP_ID_JAG }, token), 'ERR_JWKS_NO_MATCHING_KEY');
  });
});
