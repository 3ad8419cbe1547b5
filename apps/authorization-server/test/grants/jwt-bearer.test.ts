import { decodeUnverified, verifyAccessToken } from '@ema/jwt';
import { AccessTokenResponse, TYP_ACCESS_TOKEN } from '@ema/protocol';
import { Value } from '@sinclair/typebox/value';
import { createLocalJWKSet } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Rig, redeem, redemptionAudit, startRas } from '../support/ras.js';
import { CLIENT_ID, RAS_ISSUER, RESOURCE } from '../support/test-idp.js';

describe('jwt-bearer grant: success', () => {
  let rig: Rig;
  beforeAll(async () => {
    rig = await startRas();
  });
  afterAll(() => rig.app.close());

  it('[RAS-RFC7523-2.1-JWT-BEARER-GRANT] [RAS-RFC6749-5.1-NO-STORE] [ARCH-WIRE-SHAPES-FROM-PROTOCOL] redeems a valid ID-JAG for a Bearer token, no refresh token', async () => {
    const response = await redeem(rig.app, await rig.idp.mint(rig.clock.seconds));
    expect(response.statusCode).toBe(200);
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.headers.pragma).toBe('no-cache');
    const body = response.json<Record<string, unknown>>();
    expect(Object.keys(body).sort()).toEqual(['access_token', 'expires_in', 'scope', 'token_type']);
    expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 900, scope: 'tickets.read tickets.write' });
    expect(Value.Check(AccessTokenResponse, body)).toBe(true);
  });

  it('[RAS-RFC9068-AT-JWT] [RAS-RFC8707-2-AUDIENCE-RESTRICTED] [RAS-PROFILE-AT-ID-JAG-REFERENCE] [RAS-STEP-UP-CONTEXT-PASSED] issues an at+jwt for exactly the resource, traceable to the ID-JAG, with the acr, amr and auth_time of the sign-in', async () => {
    const idJag = rig.idp.claims(rig.clock.seconds, {
      auth_time: rig.clock.seconds - 60,
      acr: 'urn:acme:mfa',
      amr: ['pwd', 'otp'],
    });
    const { mintIdJag } = await import('@ema/jwt');
    const response = await redeem(rig.app, await mintIdJag(idJag, rig.idp.current.signer));
    expect(response.statusCode).toBe(200);
    const token = response.json<{ access_token: string }>().access_token;
    const jwks = (await rig.app.inject({ method: 'GET', url: '/jwks.json' })).json<{ keys: [] }>();
    const { claims, header } = await verifyAccessToken(token, {
      issuer: RAS_ISSUER,
      audience: RESOURCE,
      keys: createLocalJWKSet(jwks),
      algorithms: ['ES256'],
      currentDate: new Date(rig.clock.ms),
    });
    expect(header.typ).toBe(TYP_ACCESS_TOKEN);
    expect(header.alg).toBe('ES256');
    expect(typeof header.kid).toBe('string');
    expect(claims).toMatchObject({
      iss: RAS_ISSUER,
      aud: RESOURCE,
      client_id: CLIENT_ID,
      scope: 'tickets.read tickets.write',
      iat: rig.clock.seconds,
      exp: rig.clock.seconds + 900,
      auth_time: rig.clock.seconds - 60,
      acr: 'urn:acme:mfa',
      amr: ['pwd', 'otp'],
      email: 'alice@acme.example',
      name: 'Alice Anders',
      id_jag_jti: idJag.jti,
      id_jag_iss: idJag.iss,
    });
    expect(claims.jti).toMatch(/^[0-9a-f-]{36}$/);
    expect(claims.sub).not.toBe(idJag.sub);
  });

  it('[RAS-IDJAG-4.4.1-SUBJECT-RESOLUTION] maps (iss, sub) to one stable local account, provisioned just in time', async () => {
    const first = await redeem(
      rig.app,
      await rig.idp.mint(rig.clock.seconds, { sub: 'idp-user-bob', email: 'bob@acme.example', name: 'Bob Brown' }),
    );
    const second = await redeem(
      rig.app,
      await rig.idp.mint(rig.clock.seconds, { sub: 'idp-user-bob', email: 'bob@acme.example', name: 'Bob Brown' }),
    );
    const subOf = (token: string) => decodeUnverified(token)?.claims.sub;
    const firstSub = subOf(first.json<{ access_token: string }>().access_token);
    expect(firstSub).toBeTypeOf('string');
    expect(subOf(second.json<{ access_token: string }>().access_token)).toBe(firstSub);
    const subjects = await rig.app.inject({
      method: 'GET',
      url: '/admin/api/subjects',
      headers: { authorization: `Bearer ${rig.config.adminApiToken}` },
    });
    expect(subjects.json<{ subjects: unknown[] }>().subjects).toContainEqual(
      expect.objectContaining({
        account_id: firstSub,
        iss: 'http://localhost:3100',
        sub: 'idp-user-bob',
        email: 'bob@acme.example',
        name: 'Bob Brown',
      }),
    );
  });

  it('[RAS-IDJAG-4.4.1-SCOPE-INTERSECTION] grants ID-JAG scope ∩ requested scope ∩ client scopes at the resource', async () => {
    const response = await redeem(
      rig.app,
      await rig.idp.mint(rig.clock.seconds, { scope: 'tickets.read tickets.write tickets.admin' }),
      [['scope', 'tickets.write tickets.delete']],
    );
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ scope: 'tickets.write' });
  });

  it('[RAS-IDJAG-4.4.1-SCOPE-INTERSECTION] narrows to what the RAS allows this client at the resource', async () => {
    const admin = { authorization: `Bearer ${rig.config.adminApiToken}` };
    await rig.app.inject({
      method: 'PUT',
      url: `/admin/api/clients/${CLIENT_ID}/grants`,
      headers: admin,
      payload: { resource: RESOURCE, scopes: ['tickets.read'] },
    });
    try {
      const response = await redeem(rig.app, await rig.idp.mint(rig.clock.seconds));
      expect(response.json()).toMatchObject({ scope: 'tickets.read' });
    } finally {
      await rig.app.inject({
        method: 'PUT',
        url: `/admin/api/clients/${CLIENT_ID}/grants`,
        headers: admin,
        payload: { resource: RESOURCE, scopes: ['tickets.read', 'tickets.write'] },
      });
    }
  });

  it('[RAS-EMA-7-NO-IDP-SCOPES] never passes openid or offline_access', async () => {
    const response = await redeem(
      rig.app,
      await rig.idp.mint(rig.clock.seconds, { scope: 'openid offline_access tickets.read' }),
    );
    expect(response.json()).toMatchObject({ scope: 'tickets.read' });
  });

  it('[RAS-IDJAG-4.4.1-RESOURCE] accepts a resource parameter the ID-JAG grants, and an array-valued resource claim', async () => {
    const response = await redeem(
      rig.app,
      await rig.idp.mint(rig.clock.seconds, { resource: ['https://other.example/mcp', RESOURCE] }),
      [['resource', RESOURCE]],
    );
    expect(response.statusCode).toBe(200);
    const token = response.json<{ access_token: string }>().access_token;
    expect(decodeUnverified(token)?.claims.aud).toBe(RESOURCE);
  });

  it('[RAS-AUDIT-REASON] records each allowed redemption with client, subject, resource and both jtis', async () => {
    const idJag = rig.idp.claims(rig.clock.seconds);
    const { mintIdJag } = await import('@ema/jwt');
    const response = await redeem(rig.app, await mintIdJag(idJag, rig.idp.current.signer));
    const accessJti = decodeUnverified(response.json<{ access_token: string }>().access_token)?.claims.jti;
    const [latest] = await redemptionAudit(rig.app);
    expect(latest).toMatchObject({
      outcome: 'allow',
      client_id: CLIENT_ID,
      subject: idJag.sub,
      resource: RESOURCE,
      jti: idJag.jti,
      details: expect.objectContaining({
        iss: idJag.iss,
        access_token_jti: accessJti,
        scope: 'tickets.read tickets.write',
      }),
    });
  });
});
