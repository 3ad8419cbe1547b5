import { decodeUnverified, localJwks, verifyAccessToken } from '@ema/jwt';
import { describe, expect, it } from 'vitest';
import { RedemptionRefusal } from '../../../src/index.js';
import { CLIENT, IDP, ISSUER, RESOURCE, redemptionRig, request, START_MS, TOLERANCE, TTL } from './redemption-rig.js';

/** The refusal a redemption rejected with, as `[error, reason]`. */
async function refusalOf(promise: Promise<unknown>): Promise<[string, string]> {
  const error = await promise.then(
    () => undefined,
    (rejected: unknown) => rejected,
  );
  if (!(error instanceof RedemptionRefusal)) throw new Error(`expected a RedemptionRefusal, got ${String(error)}`);
  return [error.error, error.reason];
}

describe('createIdJagRedemption', () => {
  it('[RAS-RFC9068-AT-JWT] [RAS-PROFILE-AT-ID-JAG-REFERENCE] redeems an ID-JAG for an at+jwt audience-restricted to its resource', async () => {
    const rig = await redemptionRig();
    const assertion = await rig.mint({ acr: 'urn:example:mfa', amr: ['pwd', 'otp'], auth_time: 1_768_467_000 });
    const result = await rig.redeem(request(assertion));

    expect(result).toMatchObject({ expiresIn: TTL, scope: 'tickets.read tickets.write' });
    const { claims, header } = await verifyAccessToken(result.accessToken, {
      issuer: ISSUER,
      audience: RESOURCE,
      keys: localJwks({ keys: [rig.accessTokenKey.publicJwk] }),
      algorithms: ['ES256'],
      currentDate: new Date(rig.clock.ms),
    });
    const now = Math.floor(rig.clock.ms / 1000);
    expect(header.typ).toBe('at+jwt');
    expect(claims).toEqual({
      iss: ISSUER,
      sub: 'acct-alice',
      aud: RESOURCE,
      client_id: CLIENT,
      scope: 'tickets.read tickets.write',
      jti: result.accessTokenJti,
      iat: now,
      exp: now + TTL,
      email: 'alice@example.com',
      auth_time: 1_768_467_000,
      acr: 'urn:example:mfa',
      amr: ['pwd', 'otp'],
      id_jag_iss: IDP,
      id_jag_jti: decodeUnverified(assertion)?.claims.jti,
    });
  });

  it('[RAS-IDJAG-4.4.1-CONSUME-LAST] [RAS-AUDIT-REASON] resolves the subject, then consumes the jti, then records the allow, in one commit', async () => {
    const rig = await redemptionRig();
    const result = await rig.redeem(request(await rig.mint()));
    expect(rig.calls).toEqual(['commit', 'resolveSubject', 'consume', 'record:allow:']);
    expect(rig.audit).toEqual([
      {
        type: 'jwt_bearer.redemption',
        outcome: 'allow',
        clientId: CLIENT,
        subject: 'alice',
        resource: RESOURCE,
        jti: expect.any(String),
        details: {
          iss: IDP,
          account_id: 'acct-alice',
          scope: 'tickets.read tickets.write',
          access_token_jti: result.accessTokenJti,
        },
      },
    ]);
  });

  it('[RAS-IDJAG-4.4.1-CONSUME-LAST] never reaches the subject or the jti when a check of steps 2-9 refuses', async () => {
    const rig = await redemptionRig();
    const refusals = [
      await refusalOf(rig.redeem(request(await rig.mint({ aud: `${ISSUER}/` })))),
      await refusalOf(rig.redeem(request(await rig.mint({ resource: 'https://other.example/mcp' })))),
      await refusalOf(rig.redeem(request(await rig.mint(), { scope: 'tickets.delete' }))),
    ];
    expect(refusals).toEqual([
      ['invalid_grant', 'ERR_JWT_AUD_MISMATCH'],
      ['invalid_target', 'ERR_RESOURCE_NOT_SERVED'],
      ['invalid_scope', 'ERR_NO_GRANTABLE_SCOPE'],
    ]);
    // Each refusal's audit record is committed before the refusal is answered; nothing else was touched.
    expect(rig.calls).toEqual([
      'commit',
      'record:deny:ERR_JWT_AUD_MISMATCH',
      'commit',
      'record:deny:ERR_RESOURCE_NOT_SERVED',
      'commit',
      'record:deny:ERR_NO_GRANTABLE_SCOPE',
    ]);
    expect(rig.consumed.size).toBe(0);
  });

  it('[RAS-RFC7523-3-JTI-SINGLE-USE] refuses the second redemption of one ID-JAG as invalid_grant, audited as a replay', async () => {
    const rig = await redemptionRig();
    const assertion = await rig.mint();
    await rig.redeem(request(assertion));
    expect(await refusalOf(rig.redeem(request(assertion)))).toEqual(['invalid_grant', 'ERR_ID_JAG_REPLAYED']);
    expect(rig.audit.at(-1)).toMatchObject({ outcome: 'deny', reason: 'ERR_ID_JAG_REPLAYED', subject: 'alice' });
  });

  it('[RAS-IDJAG-4.4.1-SUBJECT-RESOLUTION] refuses an unknown subject as invalid_grant without consuming the jti', async () => {
    const rig = await redemptionRig({ knownSubjects: ['bob'] });
    expect(await refusalOf(rig.redeem(request(await rig.mint())))).toEqual(['invalid_grant', 'ERR_SUBJECT_UNKNOWN']);
    expect(rig.calls).toEqual(['commit', 'resolveSubject', 'record:deny:ERR_SUBJECT_UNKNOWN']);
    expect(rig.consumed.size).toBe(0);
  });

  it('[RAS-RFC7523-3-JTI-PURGE-SAFE] re-checks exp inside the commit, so a jti purged meanwhile cannot be consumed again', async () => {
    let late = false;
    const rig = await redemptionRig({
      commit: {
        // The clock passes exp + tolerance between verification and the commit (a purge may have run).
        submit: async (work) => {
          late = true;
          return work();
        },
      },
      // The ID-JAG expires 300 s after START_MS; exp <= now - tolerance is expired.
      now: () => (late ? START_MS + (300 + TOLERANCE) * 1000 : START_MS),
    });
    expect(await refusalOf(rig.redeem(request(await rig.mint())))).toEqual(['invalid_grant', 'ERR_JWT_EXPIRED']);
    expect(rig.calls).toEqual(['record:deny:ERR_JWT_EXPIRED']);
    expect(rig.consumed.size).toBe(0);
  });

  it('[RAS-DURABLE-BEFORE-RESPONSE] fails with the storage error, issuing nothing, when the commit fails', async () => {
    const failure = new Error('disk full');
    const rig = await redemptionRig({ commit: { submit: () => Promise.reject(failure) } });
    await expect(rig.redeem(request(await rig.mint()))).rejects.toBe(failure);
  });

  it('[RAS-AUDIT-REASON] keeps the unverified header and claims of a refused assertion apart, for forensics only', async () => {
    const rig = await redemptionRig();
    const assertion = await rig.mint({ iss: 'https://evil.example', sub: 'mallory' });
    expect(await refusalOf(rig.redeem(request(assertion)))).toEqual(['invalid_grant', 'ERR_JWT_ISSUER_UNTRUSTED']);
    const [record] = rig.audit;
    expect(record).toMatchObject({ outcome: 'deny', reason: 'ERR_JWT_ISSUER_UNTRUSTED', clientId: CLIENT });
    expect(record?.subject).toBeUndefined();
    expect(record?.details).toMatchObject({
      error: 'invalid_grant',
      unverified: { alg: 'ES256', typ: 'oauth-id-jag+jwt', iss: 'https://evil.example', sub: 'mallory' },
    });
  });

  it('[RAS-IDJAG-4.4.1-NO-ORACLE] gives every assertion failure the same bare invalid_grant, with no description', async () => {
    const rig = await redemptionRig({ knownSubjects: [] });
    const failures = [
      'not.a.jwt',
      await rig.mint({ iss: ISSUER }),
      await rig.mint({ client_id: 'other' }),
      await rig.mint({
        exp: Math.floor(rig.clock.ms / 1000) - TOLERANCE - 1,
        iat: Math.floor(rig.clock.ms / 1000) - 400,
      }),
      await rig.mint(),
    ];
    for (const assertion of failures) {
      const error = await rig.redeem(request(assertion)).then(
        () => undefined,
        (rejected: unknown) => rejected,
      );
      expect(error).toBeInstanceOf(RedemptionRefusal);
      expect(error).toMatchObject({ error: 'invalid_grant', description: undefined });
    }
    expect(rig.audit.map((record) => record.reason)).toEqual([
      'ERR_JWT_MALFORMED',
      'ERR_JWT_ISSUER_UNTRUSTED',
      'ERR_JWT_CLIENT_ID_MISMATCH',
      'ERR_JWT_EXPIRED',
      'ERR_SUBJECT_UNKNOWN',
    ]);
  });
});

describe('createIdJagRedemption: revocation cut-offs', () => {
  it('[RAS-SSF-CUTOFF] refuses an ID-JAG a cut-off covers, inside the commit, before the subject and the jti', async () => {
    const queries: unknown[] = [];
    const rig = await redemptionRig({
      cutOffs: {
        isCutOff: (query) => {
          queries.push(query);
          return query.sub === 'alice';
        },
      },
    });
    const assertion = await rig.mint({ sid: 'sid-1', auth_time: 1_768_467_000 });
    expect(await refusalOf(rig.redeem(request(assertion)))).toEqual(['invalid_grant', 'ERR_ID_JAG_CUT_OFF']);
    expect(rig.calls).toEqual(['commit', 'record:deny:ERR_ID_JAG_CUT_OFF']);
    expect(rig.consumed.size).toBe(0);
    const now = Math.floor(rig.clock.ms / 1000);
    expect(queries).toEqual([
      { iss: IDP, sub: 'alice', resource: RESOURCE, sid: 'sid-1', issuedAt: now, authTime: 1_768_467_000 },
    ]);
  });

  it('[RAS-SSF-CUTOFF] redeems an ID-JAG no cut-off covers, and passes its sid into the access token', async () => {
    const rig = await redemptionRig({ cutOffs: { isCutOff: () => false } });
    const result = await rig.redeem(request(await rig.mint({ sid: 'sid-2' })));
    const { claims } = await verifyAccessToken(result.accessToken, {
      issuer: ISSUER,
      audience: RESOURCE,
      keys: localJwks({ keys: [rig.accessTokenKey.publicJwk] }),
      algorithms: ['ES256'],
      currentDate: new Date(rig.clock.ms),
    });
    expect(claims.sid).toBe('sid-2');
  });
});
