/**
 * The RAS redeeming ID-JAGs of a second, outside issuer (JWKS on an ephemeral port, registered through the admin API
 * as a multi-tenant issuer pinned to one tenant): RFC 9396 `authorization_details` honoured or refused, the token
 * request narrowing them, `tenant` pinned and keying the account, and the claims this RAS cannot honour refused.
 */
import { decodeUnverified } from '@ema/jwt';
import { AccessTokenResponse, AUTHORIZATION_DETAILS_TYPE_TICKETS } from '@ema/protocol';
import { Value } from '@sinclair/typebox/value';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OutsideIdp, startOutsideIdp } from '../support/outside-idp.js';
import { ADMIN_TOKEN, postForm, type Rig, redeem, redemptionAudit, startRas, TestClock } from '../support/ras.js';
import { CLIENT_ID, RAS_ISSUER, RESOURCE } from '../support/test-idp.js';

const TICKETS = AUTHORIZATION_DETAILS_TYPE_TICKETS;
const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };

let idp: OutsideIdp;
let rig: Rig;

beforeAll(async () => {
  idp = await startOutsideIdp();
  rig = await startRas({}, undefined, new TestClock(), true);
  const registered = await rig.app.inject({
    method: 'PUT',
    url: '/admin/api/trusted-idps',
    headers: admin,
    payload: { issuer: idp.issuer, jwks_uri: idp.jwksUri, algorithms: ['ES256'], tenants: ['acme'] },
  });
  expect(registered.json()).toMatchObject({ issuer: idp.issuer, tenants: ['acme'] });
});
afterAll(async () => {
  await rig.app.close();
  await idp.close();
});

function mint(overrides: Record<string, unknown> = {}): Promise<string> {
  const now = rig.clock.seconds;
  return idp.mint({
    sub: 'u-1',
    aud: RAS_ISSUER,
    client_id: CLIENT_ID,
    iat: now,
    exp: now + 300,
    resource: RESOURCE,
    scope: 'tickets.read tickets.write',
    tenant: 'acme',
    ...overrides,
  });
}

/** The audit reason of the newest redemption record. */
async function lastReason(): Promise<string | undefined> {
  return (await redemptionAudit(rig.app))[0]?.reason;
}

describe('RAS: authorization_details from an outside IdP (RFC 9396, ID-JAG §4.4.1)', () => {
  it('[RAS-RFC9396-AUTHORIZATION-DETAILS-HONOURED] [RAS-RFC9396-9.2-INTROSPECTION] answers and issues at most the granted details for this resource', async () => {
    const response = await redeem(
      rig.app,
      await mint({ authorization_details: [{ type: TICKETS, actions: ['read'], identifier: '1' }] }),
    );
    expect(response.statusCode).toBe(200);
    const body = response.json<AccessTokenResponse>();
    expect(Value.Check(AccessTokenResponse, body)).toBe(true);
    const granted = [{ type: TICKETS, locations: [RESOURCE], actions: ['read'], identifier: '1' }];
    expect(body.authorization_details).toEqual(granted);
    expect(decodeUnverified(body.access_token)?.claims.authorization_details).toEqual(granted);
    // RFC 9396 §9.2: introspection says what the token is limited to.
    const introspection = await postForm(rig.app, '/introspect', [['token', body.access_token]]);
    expect(introspection.json()).toMatchObject({ active: true, authorization_details: granted });
  });

  it('[RAS-RFC9396-UNKNOWN-REFUSED] refuses an unknown type or field with the bare invalid_grant', async () => {
    for (const [details, reason] of [
      [[{ type: 'urn:acme:wiki', actions: ['read'] }], 'ERR_AUTHORIZATION_DETAILS_UNKNOWN_TYPE'],
      [[{ type: TICKETS, actions: ['read'], privileges: ['admin'] }], 'ERR_AUTHORIZATION_DETAILS_INVALID'],
    ] as const) {
      const response = await redeem(rig.app, await mint({ authorization_details: details }));
      expect(response.statusCode).toBe(400);
      expect(response.json()).toEqual({ error: 'invalid_grant' });
      expect(await lastReason()).toBe(reason);
    }
  });

  it('[RAS-RFC9396-6.2-NARROWING] narrows by the authorization_details parameter, refuses widening or malformed ones', async () => {
    const granted = [{ type: TICKETS, actions: ['read', 'update'] }];
    const narrowed = await redeem(rig.app, await mint({ authorization_details: granted }), [
      ['authorization_details', JSON.stringify([{ type: TICKETS, actions: ['update'], identifier: '2' }])],
    ]);
    expect(narrowed.statusCode).toBe(200);
    expect(narrowed.json<AccessTokenResponse>().authorization_details).toEqual([
      { type: TICKETS, locations: [RESOURCE], actions: ['update'], identifier: '2' },
    ]);
    for (const parameter of [
      'not json',
      '{"type":"urn:acme:tickets"}',
      JSON.stringify([{ type: TICKETS, actions: ['create'] }]),
    ]) {
      const response = await redeem(rig.app, await mint({ authorization_details: granted }), [
        ['authorization_details', parameter],
      ]);
      expect(response.statusCode, parameter).toBe(400);
      expect(response.json<{ error: string }>().error).toBe('invalid_authorization_details');
    }
  });
});

describe('RAS: tenant, aud_sub and unsupported claims from an outside IdP (ID-JAG §3.1, §6)', () => {
  it('[JWT-IDJAG-TENANT-PINNED] [RAS-IDJAG-TENANT-ACCOUNT-KEY] redeems for the pinned tenant, keyed (iss, tenant, sub); refuses another tenant', async () => {
    expect((await redeem(rig.app, await mint({ sub: 'u-tenant' }))).statusCode).toBe(200);
    const subjects = await rig.app.inject({ url: '/admin/api/subjects', headers: admin });
    expect(subjects.json<{ subjects: unknown[] }>().subjects).toContainEqual(
      expect.objectContaining({ iss: idp.issuer, tenant: 'acme', sub: 'u-tenant' }),
    );
    for (const tenant of ['globex', undefined]) {
      const response = await redeem(rig.app, await mint({ tenant }));
      expect(response.json()).toEqual({ error: 'invalid_grant' });
      expect(await lastReason()).toBe('ERR_JWT_TENANT_UNTRUSTED');
    }
    // The demo IdP is pinned to no tenant: a tenant in its ID-JAG is refused too.
    const demo = await redeem(rig.app, await rig.idp.mint(rig.clock.seconds, { tenant: 'acme' }));
    expect(demo.json()).toEqual({ error: 'invalid_grant' });
  });

  it('[RAS-IDJAG-AUD-SUB-CHECKED] refuses an aud_sub that is not the resolved account', async () => {
    const first = await redeem(rig.app, await mint({ sub: 'u-aud' }));
    const accountId = decodeUnverified(first.json<{ access_token: string }>().access_token)?.claims.sub;
    expect((await redeem(rig.app, await mint({ sub: 'u-aud', aud_sub: accountId }))).statusCode).toBe(200);
    const other = await redeem(rig.app, await mint({ sub: 'u-aud', aud_sub: 'someone-else' }));
    expect(other.json()).toEqual({ error: 'invalid_grant' });
    expect(await lastReason()).toBe('ERR_AUD_SUB_MISMATCH');
  });

  it('[RAS-IDJAG-UNSUPPORTED-CLAIMS-REFUSED] refuses act, aud_tenant, and a cnf no DPoP proof backs, with the bare invalid_grant', async () => {
    for (const [claims, reason] of [
      [{ act: { sub: 'agent-7' } }, 'ERR_ID_JAG_ACT_UNSUPPORTED'],
      [{ aud_tenant: 't-9' }, 'ERR_ID_JAG_AUD_TENANT_UNSUPPORTED'],
      [{ cnf: { jkt: '0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I' } }, 'ERR_ID_JAG_CNF_UNPROVEN'],
    ] as const) {
      const response = await redeem(rig.app, await mint(claims));
      expect(response.statusCode).toBe(400);
      expect(response.json()).toEqual({ error: 'invalid_grant' });
      expect(await lastReason()).toBe(reason);
    }
  });
});
