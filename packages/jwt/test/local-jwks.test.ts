import { TYP_ID_JAG } from '@ema/protocol';
import { errors, exportJWK, type JSONWebKeySet } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { JwtValidationError, localJwks } from '../src/index.js';
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

  it('[JWT-JWKS-KID] refuses a kid that two keys share, rather than guessing', async () => {
    const keys = localJwks({ keys: [first.publicJwk, { ...second.publicJwk, kid: 'k1' }] });
    const error = await expectCode(
      keys({ alg: 'ES256', kid: 'k1', typ: TYP_ID_JAG }, token),
      'ERR_JWKS_NO_MATCHING_KEY',
      'kid',
    );
    expect(error?.cause).toBeInstanceOf(errors.JWKSMultipleMatchingKeys);
  });

  it('[JWT-CODED-ERRORS] refuses a set that is not a JWK set with ERR_JWKS_UNAVAILABLE when it is built', () => {
    const thrown: unknown = (() => {
      try {
        localJwks({ keys: 'k1' } as unknown as JSONWebKeySet);
        return undefined;
      } catch (error) {
        return error;
      }
    })();
    expect(thrown).toBeInstanceOf(JwtValidationError);
    expect(thrown instanceof JwtValidationError ? thrown.code : undefined).toBe('ERR_JWKS_UNAVAILABLE');
    expect(thrown instanceof JwtValidationError ? thrown.cause : undefined).toBeInstanceOf(errors.JWKSInvalid);
  });

  it('[JWT-CODED-ERRORS] refuses to verify with a private key published in the set', async () => {
    const privateJwk = { ...(await exportJWK(first.privateKey)), kid: 'k1', alg: 'ES256', use: 'sig' };
    const keys = localJwks({ keys: [privateJwk] });
    const error = await expectCode(keys({ alg: 'ES256', kid: 'k1', typ: TYP_ID_JAG }, token), 'ERR_JWKS_UNAVAILABLE');
    expect(error?.cause).toBeInstanceOf(errors.JWKSInvalid);
  });
});
