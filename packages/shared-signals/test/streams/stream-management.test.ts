import { EVENT_TYPE_ACCOUNT_DISABLED, EVENT_TYPE_SESSION_REVOKED } from '@ema/protocol';
import { openDatabase } from '@ema/storage/sqlite';
import { describe, expect, it } from 'vitest';
import { createStreamManagement, type SsfStream } from '../../src/index.js';
import { createSqliteStreamStorage, streamsMigration } from '../../src/sqlite.js';
import { IDP, RAS } from '../support/keys.js';

const SUPPORTED = [EVENT_TYPE_SESSION_REVOKED, EVENT_TYPE_ACCOUNT_DISABLED];
const RAS_TOKEN = 'Bearer ras-token';
const OTHER_TOKEN = 'Bearer other-token';

function management(allowInsecureLoopback = false) {
  let clock = 1000;
  let ids = 0;
  const verifications: { stream: SsfStream; state: string | undefined }[] = [];
  const api = createStreamManagement({
    issuer: IDP,
    eventsSupported: SUPPORTED,
    authenticateReceiver: (authorization) =>
      authorization === RAS_TOKEN
        ? { receiverId: 'r-ras', audience: RAS }
        : authorization === OTHER_TOKEN
          ? { receiverId: 'r-other', audience: 'https://other.example.com' }
          : undefined,
    storage: createSqliteStreamStorage(openDatabase({ file: ':memory:', migrations: [streamsMigration] })),
    newStreamId: () => `st-${++ids}`,
    requestVerification: (stream, state) => verifications.push({ stream, state }),
    allowInsecureLoopback,
    now: () => clock,
  });
  return { api, verifications, tick: (ms: number) => (clock += ms) };
}

const delivery = (endpoint = `${RAS}/ssf/events`) => ({
  method: 'urn:ietf:rfc:8935',
  endpoint_url: endpoint,
  authorization_header: 'Bearer push-secret',
});

describe('SSF stream management (SSF 1.0 §8)', () => {
  it('[SSF-STREAM-MANAGEMENT] creates a push stream: 201 with the transmitter-supplied values, never the secret', () => {
    const { api } = management();
    const created = api.create(RAS_TOKEN, {
      delivery: delivery(),
      events_requested: [EVENT_TYPE_SESSION_REVOKED, 'urn:x'],
    });
    expect(created).toEqual({
      status: 201,
      body: {
        stream_id: 'st-1',
        iss: IDP,
        aud: RAS,
        events_supported: SUPPORTED,
        events_requested: [EVENT_TYPE_SESSION_REVOKED, 'urn:x'],
        events_delivered: [EVENT_TYPE_SESSION_REVOKED],
        delivery: { method: 'urn:ietf:rfc:8935', endpoint_url: `${RAS}/ssf/events` },
        min_verification_interval: 10,
      },
    });
    expect(JSON.stringify(created)).not.toContain('push-secret');
  });

  it('[SSF-STREAM-MANAGEMENT] one stream per receiver: a second creation is 409; read, update, status, delete', () => {
    const { api } = management();
    api.create(RAS_TOKEN, { delivery: delivery() });
    expect(api.create(RAS_TOKEN, { delivery: delivery() }).status).toBe(409);
    expect(api.read(RAS_TOKEN, undefined)).toMatchObject({ status: 200, body: [{ stream_id: 'st-1' }] });
    expect(api.read(RAS_TOKEN, 'st-1')).toMatchObject({ status: 200, body: { events_delivered: SUPPORTED } });
    const patched = api.update(RAS_TOKEN, { stream_id: 'st-1', description: 'RAS' }, true);
    expect(patched).toMatchObject({
      status: 200,
      body: { description: 'RAS', delivery: { endpoint_url: `${RAS}/ssf/events` } },
    });
    const replaced = api.update(RAS_TOKEN, { stream_id: 'st-1', delivery: delivery(`${RAS}/v2/events`) }, false);
    expect(replaced).toMatchObject({ status: 200, body: { delivery: { endpoint_url: `${RAS}/v2/events` } } });
    expect(replaced.body).not.toHaveProperty('description');
    expect(api.status(RAS_TOKEN, 'st-1')).toEqual({ status: 200, body: { stream_id: 'st-1', status: 'enabled' } });
    expect(api.remove(RAS_TOKEN, 'st-1')).toEqual({ status: 204 });
    expect(api.read(RAS_TOKEN, undefined)).toEqual({ status: 200, body: [] });
  });

  it('[SSF-STREAM-AUTHORIZATION] every operation needs the receiver’s credential; another receiver’s stream is unknown', () => {
    const { api } = management();
    api.create(RAS_TOKEN, { delivery: delivery() });
    expect(api.read(undefined, undefined)).toEqual({ status: 401, wwwAuthenticate: 'Bearer realm="ssf"' });
    expect(api.create('Bearer nope', { delivery: delivery() })).toEqual({
      status: 401,
      wwwAuthenticate: 'Bearer realm="ssf", error="invalid_token"',
    });
    expect(api.read(OTHER_TOKEN, 'st-1').status).toBe(404);
    expect(api.update(OTHER_TOKEN, { stream_id: 'st-1', description: 'x' }, true).status).toBe(404);
    expect(api.remove(OTHER_TOKEN, 'st-1').status).toBe(404);
    expect(api.status(OTHER_TOKEN, 'st-1').status).toBe(404);
    expect(api.verify(OTHER_TOKEN, { stream_id: 'st-1' }).status).toBe(404);
    expect(api.read(RAS_TOKEN, 'st-1').status).toBe(200);
  });

  it('[SSF-STREAM-REQUEST] refuses poll delivery, plain http, hostile endpoints and header values', () => {
    const { api } = management();
    const bodies: unknown[] = [
      null,
      [],
      {},
      { delivery: { method: 'urn:ietf:rfc:8936', endpoint_url: `${RAS}/e` } },
      { delivery: { method: 'urn:ietf:rfc:8935', endpoint_url: 'http://ras.example.com/e' } },
      { delivery: { method: 'urn:ietf:rfc:8935', endpoint_url: 'http://localhost:3200/e' } },
      { delivery: { method: 'urn:ietf:rfc:8935', endpoint_url: 'https://user:pw@ras.example.com/e' } },
      { delivery: { method: 'urn:ietf:rfc:8935', endpoint_url: 'not a url' } },
      { delivery: { ...delivery(), authorization_header: 'Bearer x\r\nX-Evil: 1' } },
      { delivery: { ...delivery(), authorization_header: 'x'.repeat(2000) } },
      { delivery: delivery(), events_requested: 'all' },
      { delivery: delivery(), description: 7 },
    ];
    for (const body of bodies) {
      expect(api.create(RAS_TOKEN, body), JSON.stringify(body)).toMatchObject({
        status: 400,
        body: { error: 'invalid_request' },
      });
    }
  });

  it('[SSF-STREAM-REQUEST] accepts loopback http only under the development opt-out', () => {
    const { api } = management(true);
    expect(api.create(RAS_TOKEN, { delivery: delivery('http://localhost:3200/ssf/events') }).status).toBe(201);
  });

  it('[SSF-VERIFICATION] asks for a verification event, at most once per minimum interval', () => {
    const { api, verifications, tick } = management();
    api.create(RAS_TOKEN, { delivery: delivery() });
    expect(api.verify(RAS_TOKEN, { stream_id: 'st-1', state: 'abc' })).toEqual({ status: 204 });
    expect(api.verify(RAS_TOKEN, { stream_id: 'st-1' }).status).toBe(429);
    tick(10_000);
    expect(api.verify(RAS_TOKEN, { stream_id: 'st-1', state: 7 }).status).toBe(400);
    expect(api.verify(RAS_TOKEN, { stream_id: 'st-1' })).toEqual({ status: 204 });
    expect(verifications.map((entry) => entry.state)).toEqual(['abc', undefined]);
  });
});
