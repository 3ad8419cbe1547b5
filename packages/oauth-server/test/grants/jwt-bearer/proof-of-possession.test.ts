import { localJwks, verifyAccessToken } from '@ema/jwt';
import { describe, expect, it } from 'vitest';
import { RedemptionRefusal } from '../../../src/index.js';
import { ISSUER, RESOURCE, redemptionRig, request } from './redemption-rig.js';

const JKT = 'NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs';

async function reasonOf(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => undefined,
    (rejected: unknown) => rejected,
  );
  if (!(error instanceof RedemptionRefusal)) throw new Error(`expected a RedemptionRefusal, got ${String(error)}`);
  expect(error.error).toBe('invalid_grant');
  return error.reason;
}

describe('proof of possession at the redemption', () => {
  it('[RAS-IDJAG-CNF-DPOP] refuses an ID-JAG with cnf redeemed without a DPoP proof, or with another key, as invalid_grant', async () => {
    const rig = await redemptionRig();
    expect(await reasonOf(rig.redeem(request(await rig.mint({ cnf: { jkt: JKT } }))))).toBe('ERR_ID_JAG_CNF_UNPROVEN');
    expect(await reasonOf(rig.redeem({ ...request(await rig.mint({ cnf: { jkt: JKT } })), dpopJkt: `${JKT}x` }))).toBe(
      'ERR_ID_JAG_CNF_MISMATCH',
    );
    expect(await reasonOf(rig.redeem({ ...request(await rig.mint({ cnf: {} })), dpopJkt: JKT }))).toBe(
      'ERR_ID_JAG_CNF_UNSUPPORTED',
    );
    // A refused bound ID-JAG is not burnt: its rightful holder can still redeem it.
    expect(rig.consumed.size).toBe(0);
    expect(rig.audit.map((event) => event.reason)).toEqual([
      'ERR_ID_JAG_CNF_UNPROVEN',
      'ERR_ID_JAG_CNF_MISMATCH',
      'ERR_ID_JAG_CNF_UNSUPPORTED',
    ]);
  });

  it('[RAS-DPOP-BOUND-TOKEN] binds the access token to the proof key (cnf.jkt), with or without cnf in the ID-JAG', async () => {
    const rig = await redemptionRig();
    for (const assertion of [await rig.mint({ cnf: { jkt: JKT } }), await rig.mint()]) {
      const result = await rig.redeem({ ...request(assertion), dpopJkt: JKT });
      expect(result.jkt).toBe(JKT);
      const { claims } = await verifyAccessToken(result.accessToken, {
        issuer: ISSUER,
        audience: RESOURCE,
        keys: localJwks({ keys: [rig.accessTokenKey.publicJwk] }),
        algorithms: ['ES256'],
        currentDate: new Date(rig.clock.ms),
      });
      expect(claims.cnf).toEqual({ jkt: JKT });
    }
    const bearer = await rig.redeem(request(await rig.mint()));
    expect(bearer.jkt).toBeUndefined();
  });
});
