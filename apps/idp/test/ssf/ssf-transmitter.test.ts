import { localJwks, verifySecurityEventToken } from '@ema/jwt';
import {
  EVENT_TYPE_ACCOUNT_DISABLED,
  EVENT_TYPE_ACCOUNT_PURGED,
  EVENT_TYPE_SESSION_REVOKED,
  type SecurityEventTokenClaims,
  TOKEN_TYPE_ID_TOKEN,
  TOKEN_TYPE_REFRESH_TOKEN,
} from '@ema/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { IdpApp } from '../../src/app.js';
import { tokensFor } from '../support/browser.js';
import { eventually, startSetReceiver, type TestSetReceiver } from '../support/set-receiver.js';
import {
  form,
  ISSUER,
  idJagRequest,
  MCP,
  postToken,
  RAS,
  startIdp,
  type TestClock,
  tempDataDir,
} from '../support/test-app.js';

const ADMIN = { authorization: 'Bearer test-admin-api-token-0123456789abcdef' };
const RECEIVER_TOKEN = 'test-ssf-receiver-token-0123456789abcdef';
const RECEIVER = { authorization: `Bearer ${RECEIVER_TOKEN}` };
const PUSH_CREDENTIAL = 'Bearer push-credential-of-the-ras';
const GRANT_REVOKED = `${ISSUER}/secevent/event-type/grant-revoked`;

let app: IdpApp;
let clock: TestClock;
let receiver: TestSetReceiver;
let dataDir: string;

beforeEach(async () => {
  receiver = await startSetReceiver();
  dataDir = tempDataDir();
  ({ app, clock } = await startIdp({
    dataDir,
    config: { ssf: { retryMaxDelayMs: 200, demoReceiverToken: RECEIVER_TOKEN } },
  }));
});
afterEach(async () => {
  await app.close();
  await receiver.close();
});

async function createStream(events?: string[]) {
  const response = await app.inject({
    method: 'POST',
    url: '/ssf/stream',
    headers: RECEIVER,
    payload: {
      delivery: { method: 'urn:ietf:rfc:8935', endpoint_url: receiver.url, authorization_header: PUSH_CREDENTIAL },
      ...(events === undefined ? {} : { events_requested: events }),
    },
  });
  expect(response.statusCode).toBe(201);
  return response.json() as { stream_id: string };
}

/** The SETs the receiver got so far, verified with the IdP's JWKS as a RAS would. */
async function receivedSets(): Promise<SecurityEventTokenClaims[]> {
  const keys = localJwks((await app.inject({ url: '/jwks' })).json());
  return Promise.all(
    receiver.pushes.map(async (push) => {
      expect(push.contentType).toBe('application/secevent+jwt');
      expect(push.authorization).toBe(PUSH_CREDENTIAL);
      const { claims } = await verifySecurityEventToken(push.body, {
        algorithms: ['ES256'],
        trustedIssuers: (iss) => (iss === ISSUER ? { issuer: ISSUER, keys } : undefined),
        audience: RAS,
        maxAgeSeconds: 300,
        currentDate: new Date(clock.now()),
      });
      return claims;
    }),
  );
}

function decodePayload(set: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(set.split('.')[1] ?? '', 'base64url').toString('utf8'));
}

const eventTypes = (sets: SecurityEventTokenClaims[]) => sets.flatMap((set) => Object.keys(set.events));

function setDisabled(userId: string, disabled: boolean) {
  return app.inject({ method: 'PATCH', url: `/admin/api/users/${userId}`, headers: ADMIN, payload: { disabled } });
}

// Reading (tickets.read): a password sign-in is enough under the demo policy.
const exchange = (subjectToken: string, subjectTokenType: string) =>
  postToken(app, idJagRequest(subjectToken, { subject_token_type: subjectTokenType }));

describe('the IdP as SSF Transmitter', () => {
  it('[SSF-TRANSMITTER-METADATA] publishes its configuration at /.well-known/ssf-configuration', async () => {
    const response = await app.inject({ url: '/.well-known/ssf-configuration' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      spec_version: '1_0',
      issuer: ISSUER,
      jwks_uri: `${ISSUER}/jwks`,
      delivery_methods_supported: ['urn:ietf:rfc:8935'],
      configuration_endpoint: `${ISSUER}/ssf/stream`,
      status_endpoint: `${ISSUER}/ssf/status`,
      verification_endpoint: `${ISSUER}/ssf/verify`,
      authorization_schemes: [{ spec_urn: 'urn:ietf:rfc:6750' }],
      default_subjects: 'ALL',
    });
  });

  it('[SSF-STREAM-AUTHORIZATION] the stream API takes the receiver token the IdP issued, and binds its aud', async () => {
    const anonymous = await app.inject({ method: 'GET', url: '/ssf/stream' });
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.headers['www-authenticate']).toBe('Bearer realm="ssf"');
    expect((await app.inject({ method: 'GET', url: '/ssf/stream', headers: ADMIN })).statusCode).toBe(401);
    await createStream();
    const listed = await app.inject({ method: 'GET', url: '/ssf/stream', headers: RECEIVER });
    expect(listed.json()).toMatchObject([{ iss: ISSUER, aud: RAS, delivery: { endpoint_url: receiver.url } }]);
    expect(listed.body).not.toContain('push-credential');
  });

  it('[KIT-RATE-LIMIT] [FUZZ-NO-5XX] a flood of the stream API is answered 429 temporarily_unavailable with Retry-After, never a 500 (found by the HTTP fuzz)', async () => {
    const verify = () =>
      app.inject({
        method: 'POST',
        url: '/ssf/verify',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
    for (let call = 0; call < 60; call += 1) expect((await verify()).statusCode).toBe(401);
    // One counter for the whole stream API: the 61st call is over the limit whichever endpoint it reaches.
    for (const flooded of [
      await verify(),
      await app.inject({ method: 'GET', url: '/ssf/status', headers: RECEIVER }),
    ]) {
      expect(flooded.statusCode).toBe(429);
      expect(Number(flooded.headers['retry-after'])).toBeGreaterThan(0);
      expect(flooded.json()).toMatchObject({ error: 'temporarily_unavailable' });
    }
  });

  it('[IDP-SSF-ACCOUNT-DISABLED] disabling a user sends RISC account-disabled, signed, once, to the stream', async () => {
    await createStream();
    expect((await setDisabled('usr_alice', true)).statusCode).toBe(200);
    await eventually(() => receiver.pushes.length === 1);
    const [set] = await receivedSets();
    expect(set).toMatchObject({
      iss: ISSUER,
      aud: RAS,
      sub_id: { format: 'iss_sub', iss: ISSUER, sub: 'usr_alice' },
      events: { [EVENT_TYPE_ACCOUNT_DISABLED]: {} },
      toe: clock.now() / 1000,
    });
    expect(set).not.toHaveProperty('exp');
    expect(set).not.toHaveProperty('sub');
    // Saving the disabled user again is not a new event.
    await setDisabled('usr_alice', true);
    await app.idp.signals.idle();
    expect(receiver.pushes).toHaveLength(1);
    expect(app.idp.audit.query({ type: 'ssf.delivery', limit: 1 })[0]).toMatchObject({ outcome: 'success' });
  });

  it('[IDP-SSF-ACCOUNT-PURGED] deleting a user sends RISC account-purged', async () => {
    await createStream();
    const deleted = await app.inject({ method: 'DELETE', url: '/admin/api/users/usr_bob', headers: ADMIN });
    expect(deleted.statusCode).toBe(204);
    await eventually(() => receiver.pushes.length === 1);
    expect(eventTypes(await receivedSets())).toEqual([EVENT_TYPE_ACCOUNT_PURGED]);
  });

  it('[IDP-SIGN-OUT-REVOKES] [IDP-SSF-SESSION-REVOKED] sign-out revokes the session’s ID and refresh tokens and sends session-revoked with its sid', async () => {
    await createStream();
    const tokens = await tokensFor(app, 'alice');
    const other = await tokensFor(app, 'alice');
    const hint = `/logout?${form({ id_token_hint: tokens.id_token })}`;
    expect((await app.inject({ method: 'GET', url: hint, headers: { cookie: tokens.jar.header() } })).statusCode).toBe(
      200,
    );
    // Neither the ID token nor the (offline) refresh token of that session can be exchanged any more ...
    expect((await exchange(tokens.id_token, TOKEN_TYPE_ID_TOKEN)).json().error).toBe('invalid_grant');
    expect((await exchange(String(tokens.refresh_token), TOKEN_TYPE_REFRESH_TOKEN)).json().error).toBe('invalid_grant');
    // ... while another session of the same user is untouched.
    expect((await exchange(other.id_token, TOKEN_TYPE_ID_TOKEN)).statusCode).toBe(200);
    await eventually(() => receiver.pushes.length === 1);
    const [set] = await receivedSets();
    expect(set?.events[EVENT_TYPE_SESSION_REVOKED]).toMatchObject({ initiating_entity: 'user' });
    expect(set?.sub_id).toEqual({
      format: 'complex',
      user: { format: 'iss_sub', iss: ISSUER, sub: 'usr_alice' },
      session: { format: 'opaque', id: expect.stringMatching(/^sid_/) },
    });
  });

  it('[IDP-SSF-SESSION-REVOKED] an admin revokes all sessions of a user: everything stops, session-revoked for the user', async () => {
    await createStream();
    const tokens = await tokensFor(app, 'alice');
    const sessions = await app.inject({ url: '/admin/api/users/usr_alice/sessions', headers: ADMIN });
    expect(sessions.json()).toHaveLength(1);
    const revoked = await app.inject({
      method: 'POST',
      url: '/admin/api/users/usr_alice/sessions/revoke',
      headers: ADMIN,
    });
    expect(revoked.json()).toMatchObject({ sessions: 1, grants: 1 });
    expect((await exchange(tokens.id_token, TOKEN_TYPE_ID_TOKEN)).json().error).toBe('invalid_grant');
    await eventually(() => receiver.pushes.length === 1);
    const [set] = await receivedSets();
    expect(set?.sub_id).toEqual({ format: 'iss_sub', iss: ISSUER, sub: 'usr_alice' });
    expect(set?.events[EVENT_TYPE_SESSION_REVOKED]).toMatchObject({ initiating_entity: 'admin' });
  });

  it('[IDP-SSF-GRANT-REVOKED] a policy change sends grant-revoked to the resource’s RAS for exactly the users who lost scopes', async () => {
    await createStream();
    const deleted = await app.inject({
      method: 'DELETE',
      url: '/admin/api/policy-rules/sales-tickets',
      headers: ADMIN,
    });
    expect(deleted.statusCode).toBe(204);
    await eventually(() => receiver.pushes.length === 1);
    await app.idp.signals.idle();
    const sets = await receivedSets();
    expect(sets).toHaveLength(1);
    expect(sets[0]).toMatchObject({
      sub_id: { format: 'iss_sub', iss: ISSUER, sub: 'usr_bob' },
      events: { [GRANT_REVOKED]: { resource: MCP, scope: 'tickets.read' } },
    });
  });

  it('[IDP-SSF-EVENTS-REQUESTED] a stream gets only the event types it requested', async () => {
    await createStream([EVENT_TYPE_SESSION_REVOKED]);
    await setDisabled('usr_alice', true);
    await app.idp.signals.idle();
    expect(receiver.pushes).toHaveLength(0);
  });

  it('[SSF-DELIVERY-RETRY] a receiver that is down gets the SET again, with backoff, until it acknowledges', async () => {
    await createStream();
    receiver.answer(503);
    await setDisabled('usr_alice', true);
    await eventually(() => receiver.pushes.length === 1);
    // The retry falls due on the IdP's clock (frozen here): move it on, one second at a time.
    await eventually(() => {
      clock.advance(1);
      return receiver.pushes.length >= 3;
    });
    receiver.answer(202);
    await eventually(() => {
      clock.advance(1);
      return app.idp.signals.outbox.pendingCount() === 0;
    });
    expect(app.idp.signals.outbox.recent(1)[0]).toMatchObject({
      status: 'delivered',
      attempts: receiver.pushes.length - 1,
    });
    // Every attempt carries the same SET (same jti), signed afresh (iat moves on).
    const payloads = receiver.pushes.map((push) => decodePayload(push.body));
    expect(new Set(payloads.map((payload) => payload.jti)).size).toBe(1);
    expect(new Set(payloads.map((payload) => payload.iat)).size).toBe(payloads.length);
  });

  it('[SSF-DELIVERY-DURABLE] nothing is lost across a restart of the IdP while the receiver is down', async () => {
    await createStream();
    receiver.answer(503);
    await setDisabled('usr_alice', true);
    await eventually(() => receiver.pushes.length >= 1);
    await app.close();
    expect(receiver.pushes.every((push) => push.body.length > 0)).toBe(true);
    receiver.pushes.length = 0;
    receiver.answer(202);
    ({ app, clock } = await startIdp({
      dataDir,
      clock,
      config: { ssf: { retryMaxDelayMs: 200, demoReceiverToken: RECEIVER_TOKEN } },
    }));
    // The entry waits for its retry on the IdP's clock (frozen here): move it on.
    await eventually(() => {
      clock.advance(1);
      return receiver.pushes.length === 1;
    });
    expect(eventTypes(await receivedSets())).toEqual([EVENT_TYPE_ACCOUNT_DISABLED]);
    await eventually(() => app.idp.signals.outbox.pendingCount() === 0);
  });
});
