import { mintIdJag } from '@ema/jwt';
import { describe, expect, it } from 'vitest';
import { RedemptionRefusal } from '../../../src/index.js';
import { CLIENT, RESOURCE, redemptionRig, request, START_MS, TOLERANCE } from './redemption-rig.js';

/** What a redemption ended with: the refusal as `[error, reason, description]`, or `'redeemed'`. */
async function outcome(promise: Promise<unknown>): Promise<string | [string, string, string | undefined]> {
  const error = await promise.then(
    () => undefined,
    (rejected: unknown) => rejected,
  );
  if (error === undefined) return 'redeemed';
  if (!(error instanceof RedemptionRefusal)) throw error;
  return [error.error, error.reason, error.description];
}

const NOW = Math.floor(START_MS / 1000);

describe('createIdJagRedemption: refusals and their records', () => {
  it('[RAS-IDJAG-4.4.1-TIMES] redeems an ID-JAG expired less than the clock tolerance ago, at the final re-check too', async () => {
    const rig = await redemptionRig();
    const lately = await rig.mint({ iat: NOW - 200, exp: NOW - TOLERANCE + 1 });
    expect(await outcome(rig.redeem(request(lately)))).toBe('redeemed');
    const expired = await rig.mint({ iat: NOW - 200, exp: NOW - TOLERANCE });
    expect(await outcome(rig.redeem(request(expired)))).toEqual(['invalid_grant', 'ERR_JWT_EXPIRED', undefined]);
  });

  it('[RAS-IDJAG-4.4.1-RESOURCE] refuses an ID-JAG that names no resource with invalid_target', async () => {
    const rig = await redemptionRig();
    const { resource: _resource, ...claims } = rig.claims();
    const assertion = await mintIdJag(claims, rig.idpKey.signer);
    expect(await outcome(rig.redeem(request(assertion)))).toEqual([
      'invalid_target',
      'ERR_RESOURCE_MISSING',
      'the assertion names no resource',
    ]);
  });

  it('[RAS-AUDIT-REASON] records the requested resource with a refusal, and no more than 200 characters of each unverified claim', async () => {
    const rig = await redemptionRig();
    const other = 'https://other.example/mcp';
    await outcome(rig.redeem(request(await rig.mint(), { resource: other })));
    expect(rig.audit.at(-1)).toMatchObject({ outcome: 'deny', reason: 'ERR_RESOURCE_NOT_GRANTED', resource: other });

    const long = `https://evil.example/${'x'.repeat(500)}`;
    await outcome(rig.redeem(request(await rig.mint({ iss: long, sub: 's'.repeat(300) }))));
    expect(rig.audit.at(-1)?.details).toMatchObject({
      unverified: { iss: long.slice(0, 200), sub: 's'.repeat(200) },
    });
  });

  it('[RAS-AUDIT-REASON] refuses as invalid_grant when the resource registry fails, audited as ERR_UNEXPECTED and reported for the log', async () => {
    const failure = new Error('registry unavailable');
    const reported: unknown[] = [];
    const rig = await redemptionRig({
      resources: {
        findResourceForClient: () => {
          throw failure;
        },
      },
      onUnexpectedError: (error) => reported.push(error),
    });
    expect(await outcome(rig.redeem(request(await rig.mint())))).toEqual([
      'invalid_grant',
      'ERR_UNEXPECTED',
      undefined,
    ]);
    expect(reported).toEqual([failure]);
    expect(rig.audit).toMatchObject([{ outcome: 'deny', reason: 'ERR_UNEXPECTED', clientId: CLIENT }]);
    expect(rig.consumed.size).toBe(0);
  });

  it('[RAS-AUDIT-REASON] reports no designed refusal as unexpected', async () => {
    const reported: unknown[] = [];
    const rig = await redemptionRig({ knownSubjects: [], onUnexpectedError: (error) => reported.push(error) });
    await outcome(rig.redeem(request('not.a.jwt')));
    await outcome(rig.redeem(request(await rig.mint({ aud: RESOURCE }))));
    await outcome(rig.redeem(request(await rig.mint({ resource: 'https://other.example/mcp' }))));
    await outcome(rig.redeem(request(await rig.mint(), { scope: 'tickets.delete' })));
    await outcome(rig.redeem(request(await rig.mint())));
    expect(rig.audit).toHaveLength(5);
    expect(reported).toEqual([]);
  });
});

describe('RedemptionRefusal', () => {
  it('[RAS-IDJAG-4.4.1-NO-ORACLE] never carries a description for invalid_grant, whatever it was given', () => {
    const refusal = new RedemptionRefusal('invalid_grant', 'ERR_ID_JAG_REPLAYED', 'this ID-JAG was used before');
    expect(refusal).toMatchObject({ error: 'invalid_grant', reason: 'ERR_ID_JAG_REPLAYED', description: undefined });
    expect(new RedemptionRefusal('invalid_target', 'ERR_RESOURCE_NOT_SERVED', 'unknown resource').description).toBe(
      'unknown resource',
    );
  });

  it('is an Error named RedemptionRefusal, with the reason as its message (for the server log)', () => {
    const refusal = new RedemptionRefusal('invalid_scope', 'ERR_NO_GRANTABLE_SCOPE', 'no grantable scope');
    expect(refusal).toBeInstanceOf(Error);
    expect(String(refusal)).toBe('RedemptionRefusal: ERR_NO_GRANTABLE_SCOPE');
  });
});
