import { describe, expect, it } from 'vitest';
import { decodeUnverified } from '../src/index.js';
import { b64json } from './support/fixtures.js';

describe('decodeUnverified', () => {
  it('decodes header and claims without verifying the signature', () => {
    const token = `${b64json({ alg: 'ES256', typ: 'JWT' })}.${b64json({ sub: 'alice' })}.bm90LWEtc2lnbmF0dXJl`;
    expect(decodeUnverified(token)).toEqual({ header: { alg: 'ES256', typ: 'JWT' }, claims: { sub: 'alice' } });
  });

  it('returns undefined for anything that is not a decodable JWS', () => {
    for (const input of [
      '',
      'garbage',
      'a.b.c',
      `${b64json([1])}.${b64json({})}.x`,
      `${b64json({})}.${b64json(1)}.x`,
    ]) {
      expect(decodeUnverified(input)).toBeUndefined();
    }
  });
});
