import { decodeUnverified } from '@ema/jwt';
import { describe, expect, it } from 'vitest';
import { accountDisabled, signAtDelivery, unsignedClaims } from '../../src/index.js';
import { IDP, NOW_MS, NOW_S, RAS, transmitterKey } from '../support/keys.js';

describe('signAtDelivery', () => {
  it('signs each attempt with the signer current then and a fresh iat', async () => {
    const [first, second] = [await transmitterKey(IDP, 'idp-1'), await transmitterKey(IDP, 'idp-2')];
    let current = first;
    let now = NOW_MS;
    const sign = signAtDelivery(
      () => current.signer,
      () => now,
    );
    const event = accountDisabled({ user: { iss: IDP, sub: 'usr_1' }, occurredAt: NOW_S });
    const claims = unsignedClaims(event, { issuer: IDP, audience: RAS, jti: 'set-1', txn: 'txn-1' });
    const early = decodeUnverified(await sign(claims));
    expect(early?.header).toMatchObject({ kid: 'idp-1', typ: 'secevent+jwt' });
    expect(early?.claims).toMatchObject({ iss: IDP, aud: RAS, jti: 'set-1', iat: NOW_S });
    current = second;
    now = NOW_MS + 90_500;
    const later = decodeUnverified(await sign(claims));
    expect(later?.header).toMatchObject({ kid: 'idp-2' });
    expect(later?.claims).toMatchObject({ jti: 'set-1', iat: NOW_S + 90 });
  });
});
