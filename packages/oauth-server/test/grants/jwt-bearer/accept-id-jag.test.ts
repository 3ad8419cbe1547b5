import { mintIdJag } from '@ema/jwt';
import { describe, expect, it } from 'vitest';
import { RedemptionRefusal } from '../../../src/index.js';
import { ACCEPTANCE_AUDIT_TYPE, CLIENT, IDP, RESOURCE, redemptionRig, request } from './redemption-rig.js';

const flow = { flow: 'authorization_code', code_challenge_method: 'S256' };

describe('createIdJagAcceptance', () => {
  it('[RAS-AUDIT-REASON] accepts an ID-JAG without minting, audited under its own type with the details it is given', async () => {
    const rig = await redemptionRig();
    const claims = rig.claims({ scope: 'tickets.read' });
    const assertion = await mintIdJag(claims, rig.idpKey.signer);
    const accepted = await rig.accept({
      ...request(assertion),
      auditDetails: flow,
      allowAuditDetails: { code_id: 'code-1' },
    });
    expect(accepted).toEqual({
      claims,
      account: { accountId: 'acct-alice', email: 'alice@example.com', name: null },
      resource: RESOURCE,
      scope: 'tickets.read',
      nowMs: rig.clock.ms,
    });
    expect(rig.audit).toEqual([
      {
        type: ACCEPTANCE_AUDIT_TYPE,
        outcome: 'allow',
        clientId: CLIENT,
        subject: 'alice',
        resource: RESOURCE,
        jti: claims.jti,
        details: { iss: IDP, account_id: 'acct-alice', scope: 'tickets.read', ...flow, code_id: 'code-1' },
      },
    ]);
  });

  it('[RAS-AUDIT-REASON] audits each refusal under its own type with the request details, never the allow-only ones', async () => {
    const rig = await redemptionRig({ knownSubjects: [] });
    const extra = { auditDetails: flow, allowAuditDetails: { code_id: 'code-1' } };
    // Before verification (step 2), at the resource (step 8), and inside the commit (step 10).
    const requests = [
      request('not.a.jwt'),
      request(await rig.mint(), { resource: 'https://other.example/mcp' }),
      request(await rig.mint()),
    ];
    for (const refused of requests) {
      await expect(rig.accept({ ...refused, ...extra })).rejects.toBeInstanceOf(RedemptionRefusal);
    }
    expect(rig.audit.map((event) => [event.type, event.reason, event.details])).toEqual([
      [ACCEPTANCE_AUDIT_TYPE, 'ERR_JWT_MALFORMED', { error: 'invalid_grant', ...flow, unverified: {} }],
      [ACCEPTANCE_AUDIT_TYPE, 'ERR_RESOURCE_NOT_GRANTED', { error: 'invalid_target', ...flow, iss: IDP }],
      [ACCEPTANCE_AUDIT_TYPE, 'ERR_SUBJECT_UNKNOWN', { error: 'invalid_grant', ...flow, iss: IDP }],
    ]);
  });
});
