import { decodeUnverified, localJwks, verifySecurityEventToken } from '@ema/jwt';
import { accountDisabled, grantRevoked, type SecurityEvent, sessionRevoked } from '@ema/shared-signals';
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { loadRasConfig } from '../../src/config.js';
import { ADMIN_TOKEN, postForm, redeem, redemptionAudit, TestClock, tempDataDir } from '../support/ras.js';
import { type TestTransmitter, TRANSMITTER_TOKEN, testTransmitter } from '../support/ssf-transmitter.js';
import { IDP_ISSUER, RAS_ISSUER, RESOURCE, TestIdp } from '../support/test-idp.js';

const ALICE = { iss: IDP_ISSUER, sub: 'idp-user-alice' };
const BOB = { iss: IDP_ISSUER, sub: 'idp-user-bob' };
const ADMIN = { authorization: `Bearer ${ADMIN_TOKEN}` };

let app: FastifyInstance;
let idp: TestIdp;
let clock: TestClock;
let transmitter: TestTransmitter;
let jtis = 0;

async function until(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

beforeEach(async () => {
  idp = await TestIdp.create();
  clock = new TestClock();
  transmitter = testTransmitter(idp, clock.now);
  const config = loadRasConfig({
    dataDir: tempDataDir(),
    allowInsecureLoopback: true,
    logLevel: 'silent',
    adminApiToken: ADMIN_TOKEN,
    ssfTransmitterToken: TRANSMITTER_TOKEN,
  });
  app = await buildApp(config, { fetch: transmitter.fetch, now: clock.now });
  // The RAS registers its stream at boot: the push credential the IdP must send is then in the stream.
  await until(() => transmitter.stream() !== undefined);
});
afterEach(async () => {
  await app.close();
});

function push(set: string, authorization = transmitter.stream()?.authorization ?? '') {
  return app.inject({
    method: 'POST',
    url: '/ssf/events',
    headers: { 'content-type': 'application/secevent+jwt', authorization },
    payload: set,
  });
}

async function send(event: SecurityEvent): Promise<number> {
  jtis += 1;
  return (await push(await transmitter.set(event, `set-${jtis}`, clock.seconds))).statusCode;
}

/** A redemption of a fresh ID-JAG for `sub`; returns its status and the access token. */
async function redeemFor(sub: string, overrides: { iat?: number; auth_time?: number; sid?: string } = {}) {
  const response = await redeem(app, await idp.mint(overrides.iat ?? clock.seconds, { sub, ...overrides }));
  return { status: response.statusCode, token: response.json<{ access_token?: string }>().access_token ?? '' };
}

const introspect = async (token: string) =>
  (await postForm(app, '/introspect', [['token', token]])).json<{ active: boolean }>().active;

async function forwardedSets() {
  const jwks = await app.inject({ url: '/jwks.json' });
  const keys = localJwks(jwks.json());
  return Promise.all(
    transmitter.forwarded.map(async (set) => {
      const { claims } = await verifySecurityEventToken(set, {
        algorithms: ['ES256'],
        trustedIssuers: (iss) => (iss === RAS_ISSUER ? { issuer: RAS_ISSUER, keys } : undefined),
        audience: RESOURCE,
        maxAgeSeconds: 300,
        currentDate: new Date(clock.ms),
      });
      return claims;
    }),
  );
}

describe('the RAS receives its IdP’s Security Events', () => {
  it('[RAS-SSF-STREAM] registers a push stream at its IdP at boot, with its /ssf/events and a push credential', async () => {
    const stream = transmitter.stream();
    expect(stream).toMatchObject({ audience: RAS_ISSUER, endpointUrl: `${RAS_ISSUER}/ssf/events` });
    expect(stream?.authorization).toMatch(/^Bearer \S{40,}$/);
    const listed = await app.inject({ url: '/admin/api/ssf/subscriptions', headers: ADMIN });
    expect(listed.json()).toMatchObject({ subscriptions: [{ transmitter: IDP_ISSUER, stream_id: 'stream-1' }] });
    expect(listed.body).not.toContain(stream?.authorization?.slice(7));
  });

  it('[RAS-SSF-ACCOUNT-DISABLED] [RAS-SSF-CUTOFF] a disabled user: earlier ID-JAGs refused, earlier access tokens inactive, others untouched', async () => {
    const before = await idp.mint(clock.seconds, { sub: ALICE.sub });
    const aliceToken = (await redeemFor(ALICE.sub)).token;
    const bobToken = (await redeemFor(BOB.sub)).token;
    clock.advance(2);
    expect(await send(accountDisabled({ user: ALICE, occurredAt: clock.seconds }))).toBe(202);

    expect((await redeem(app, before)).json()).toEqual({ error: 'invalid_grant' });
    expect((await redemptionAudit(app))[0]).toMatchObject({ outcome: 'deny', reason: 'ERR_ID_JAG_CUT_OFF' });
    expect(await introspect(aliceToken)).toBe(false);
    // Subject isolation: Bob's token and Bob's new ID-JAGs are untouched.
    expect(await introspect(bobToken)).toBe(true);
    expect((await redeemFor(BOB.sub)).status).toBe(200);
    // A later sign-in (re-enabled) works again.
    clock.advance(2);
    expect((await redeemFor(ALICE.sub, { auth_time: clock.seconds })).status).toBe(200);
  });

  it('[RAS-SSF-FORWARD] forwards the revocation to the MCP server, signed by the RAS, about its local account', async () => {
    const { token } = await redeemFor(ALICE.sub);
    const account = decodeUnverified(token)?.claims.sub;
    clock.advance(1);
    expect(await send(accountDisabled({ user: ALICE, occurredAt: clock.seconds }))).toBe(202);
    await until(() => transmitter.forwarded.length === 1);
    const [forwarded] = await forwardedSets();
    expect(forwarded).toMatchObject({
      iss: RAS_ISSUER,
      aud: RESOURCE,
      sub_id: { format: 'iss_sub', iss: RAS_ISSUER, sub: account },
      events: { 'https://schemas.openid.net/secevent/risc/event-type/account-disabled': {} },
      toe: clock.seconds,
    });
    // A user this RAS never issued a token to: nothing to forward.
    expect(
      await send(accountDisabled({ user: { iss: IDP_ISSUER, sub: 'never-seen' }, occurredAt: clock.seconds })),
    ).toBe(202);
    expect(transmitter.forwarded).toHaveLength(1);
  });

  it('[RAS-SSF-SESSION] a revoked session: its ID-JAGs refused whenever issued, its tokens inactive; other sessions fine', async () => {
    const { token } = await redeemFor(ALICE.sub, { sid: 'sid-1' });
    const otherSession = (await redeemFor(ALICE.sub, { sid: 'sid-2' })).token;
    expect(
      await send(
        sessionRevoked({ user: ALICE, sessionId: 'sid-1', occurredAt: clock.seconds, initiatingEntity: 'user' }),
      ),
    ).toBe(202);
    clock.advance(10);
    expect((await redeemFor(ALICE.sub, { sid: 'sid-1' })).status).toBe(400);
    expect((await redeemFor(ALICE.sub, { sid: 'sid-2' })).status).toBe(200);
    expect(await introspect(token)).toBe(false);
    expect(await introspect(otherSession)).toBe(true);
  });

  it('[RAS-SSF-GRANT-REVOKED] a grant lost by policy: ID-JAGs issued before refused at that resource, later ones accepted', async () => {
    const before = await idp.mint(clock.seconds, { sub: ALICE.sub });
    const { token } = await redeemFor(ALICE.sub);
    clock.advance(1);
    const event = grantRevoked({
      issuer: IDP_ISSUER,
      user: ALICE,
      resource: RESOURCE,
      scopesRevoked: ['tickets.write'],
      occurredAt: clock.seconds,
    });
    expect(await send(event)).toBe(202);
    expect((await redeem(app, before)).statusCode).toBe(400);
    expect(await introspect(token)).toBe(false);
    clock.advance(1);
    // A new ID-JAG (with the narrowed policy) from the same, older sign-in is fine.
    expect((await redeemFor(ALICE.sub, { auth_time: clock.seconds - 600 })).status).toBe(200);
  });

  it('[RAS-SSF-NOTHING-CHANGES] bad pushes are refused with the RFC 8935 error and change nothing', async () => {
    const { token } = await redeemFor(ALICE.sub);
    const event = accountDisabled({ user: ALICE, occurredAt: clock.seconds });
    const good = await transmitter.set(event, 'set-good', clock.seconds);
    const cases: [Promise<string>, string | undefined, string][] = [
      [Promise.resolve(good), 'Bearer not-the-push-credential', 'authentication_failed'],
      [transmitter.set(event, 'set-old', clock.seconds - 400), undefined, 'invalid_request'],
      [
        transmitter.set(event, 'set-aud', clock.seconds, { aud: 'https://other.example.com' }),
        undefined,
        'invalid_audience',
      ],
      [
        transmitter.set(event, 'set-iss', clock.seconds, { iss: 'https://evil.example.com' }),
        undefined,
        'invalid_issuer',
      ],
      [Promise.resolve(`${good.split('.').slice(0, 2).join('.')}.${'A'.repeat(86)}`), undefined, 'invalid_key'],
    ];
    for (const [set, authorization, err] of cases) {
      const response = await push(await set, authorization);
      expect(response.statusCode, err).toBe(400);
      expect(response.json()).toMatchObject({ err });
    }
    expect(await introspect(token)).toBe(true);
    expect((await redeemFor(ALICE.sub)).status).toBe(200);
    // The real one, then its replay.
    expect((await push(good)).statusCode).toBe(202);
    const replay = await push(good);
    expect(replay.statusCode).toBe(400);
    expect(replay.json()).toMatchObject({ err: 'invalid_request' });
  });

  it('[RAS-SSF-FORWARD] an RFC 7009 revocation reaches the MCP server as token-revoked', async () => {
    const { token } = await redeemFor(ALICE.sub);
    const claims = decodeUnverified(token)?.claims;
    expect((await postForm(app, '/revoke', [['token', token]])).statusCode).toBe(200);
    await until(() => transmitter.forwarded.length === 1);
    const [forwarded] = await forwardedSets();
    expect(forwarded).toMatchObject({
      sub_id: { format: 'jwt_id', iss: RAS_ISSUER, jti: claims?.jti },
      events: { [`${RAS_ISSUER}/secevent/event-type/token-revoked`]: { expires_at: claims?.exp } },
    });
  });

  it('[SSF-DELIVERY-RETRY] forwards are retried until the MCP server acknowledges them', async () => {
    await redeemFor(ALICE.sub);
    transmitter.mcpStatus = 503;
    expect(await send(accountDisabled({ user: ALICE, occurredAt: clock.seconds }))).toBe(202);
    await until(() => transmitter.forwarded.length === 1);
    transmitter.mcpStatus = 202;
    await until(() => {
      clock.advance(1);
      return transmitter.forwarded.length >= 2;
    });
    await app.inject({ url: '/healthz' });
    const outbox = await app.inject({ url: '/admin/api/ssf/outbox', headers: ADMIN });
    expect(outbox.json()).toMatchObject({ events: [{ resource: RESOURCE, status: 'delivered', attempts: 1 }] });
    expect(new Set(transmitter.forwarded.map((set) => decodeUnverified(set)?.claims.jti)).size).toBe(1);
  });
});
