import { openDatabase } from '@ema/storage/sqlite';
import { describe, expect, it } from 'vitest';
import {
  createStreamManagement,
  type ManagementAnswer,
  registerPushStream,
  requestVerification,
  StreamRegistrationError,
} from '../../src/index.js';
import { createSqliteStreamStorage, streamsMigration } from '../../src/sqlite.js';
import { IDP, RAS } from '../support/keys.js';

const TOKEN = 'Bearer management-token';

/** A Transmitter on `fetch`: the configuration document and the stream management API over `createStreamManagement`. */
function transmitter(overrides: { configuration?: Record<string, unknown> } = {}) {
  const verifications: (string | undefined)[] = [];
  const storage = createSqliteStreamStorage(openDatabase({ file: ':memory:', migrations: [streamsMigration] }));
  let ids = 0;
  const api = createStreamManagement({
    issuer: IDP,
    eventsSupported: ['urn:example:a', 'urn:example:b'],
    authenticateReceiver: (authorization) => (authorization === TOKEN ? { receiverId: 'r', audience: RAS } : undefined),
    storage,
    newStreamId: () => `st-${++ids}`,
    requestVerification: (_stream, state) => verifications.push(state),
    allowInsecureLoopback: false,
    now: () => 0,
  });
  const json = (answer: ManagementAnswer) =>
    new Response(answer.body === undefined ? null : JSON.stringify(answer.body), { status: answer.status });
  const fetchImpl: typeof fetch = async (input, init) => {
    const url = new URL(String(input));
    const authorization = new Headers(init?.headers).get('authorization') ?? undefined;
    const body = init?.body === undefined ? undefined : JSON.parse(String(init.body));
    if (url.pathname === '/.well-known/ssf-configuration') {
      return Response.json({
        issuer: IDP,
        jwks_uri: `${IDP}/jwks`,
        delivery_methods_supported: ['urn:ietf:rfc:8935'],
        configuration_endpoint: `${IDP}/ssf/stream`,
        verification_endpoint: `${IDP}/ssf/verify`,
        ...overrides.configuration,
      });
    }
    if (url.pathname === '/ssf/verify') return json(api.verify(authorization, body));
    switch (init?.method) {
      case 'GET':
        return json(api.read(authorization, url.searchParams.get('stream_id') ?? undefined));
      case 'POST':
        return json(api.create(authorization, body));
      case 'PUT':
        return json(api.update(authorization, body, false));
      default:
        return new Response(null, { status: 405 });
    }
  };
  return { fetchImpl, storage, verifications };
}

const registration = (fetchImpl: typeof fetch, push = 'Bearer push-1') => ({
  transmitter: IDP,
  managementAuthorization: TOKEN,
  audience: RAS,
  endpointUrl: `${RAS}/ssf/events`,
  pushAuthorization: push,
  eventsRequested: ['urn:example:a'],
  description: 'test',
  allowInsecureLoopback: false,
  fetch: fetchImpl,
});

describe('registerPushStream', () => {
  it('[SSF-STREAM-REGISTRATION] creates the stream, then on a second run replaces its delivery instead of adding one', async () => {
    const { fetchImpl, storage, verifications } = transmitter();
    const first = await registerPushStream(registration(fetchImpl));
    expect(first.stream).toMatchObject({ stream_id: 'st-1', iss: IDP, aud: RAS, events_delivered: ['urn:example:a'] });
    await registerPushStream(registration(fetchImpl, 'Bearer push-2'));
    expect(storage.listStreams()).toHaveLength(1);
    expect(storage.findStream('st-1')?.authorization).toBe('Bearer push-2');
    expect(await requestVerification(first, registration(fetchImpl), 'state-1')).toBe(true);
    expect(verifications).toEqual(['state-1']);
  });

  it('[SSF-STREAM-REGISTRATION] refuses a configuration for another issuer, without push, or over http', async () => {
    const cases = [
      { issuer: 'https://evil.example.com' },
      { delivery_methods_supported: ['urn:ietf:rfc:8936'] },
      { configuration_endpoint: 'http://idp.example.com/ssf/stream' },
    ];
    for (const configuration of cases) {
      const { fetchImpl } = transmitter({ configuration });
      await expect(registerPushStream(registration(fetchImpl))).rejects.toBeInstanceOf(StreamRegistrationError);
    }
    const { fetchImpl } = transmitter();
    await expect(
      registerPushStream({ ...registration(fetchImpl), managementAuthorization: 'Bearer wrong' }),
    ).rejects.toThrow(/answered 401/);
  });
});
