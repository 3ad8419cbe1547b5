import { JwtValidationError } from '@ema/jwt';
import { EVENT_TYPE_ACCOUNT_DISABLED, MEDIA_TYPE_SECEVENT_JWT, type SecurityEventTokenClaims } from '@ema/protocol';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  type AcceptedSecurityEvent,
  accountDisabled,
  createPushReceiver,
  type PushReceiverOptions,
  unsignedClaims,
} from '../../src/index.js';
import { IDP, mintSet, NOW_MS, NOW_S, RAS, signRawSet, type TransmitterKey, transmitterKey } from '../support/keys.js';
import { immediateCommit, memoryReceivedEvents } from '../support/memory-stores.js';

const alice = { iss: IDP, sub: 'usr_alice' };
const CREDENTIAL = 'Bearer push-credential';

let idp: TransmitterKey;
let impostor: TransmitterKey;
let foreign: TransmitterKey;

beforeAll(async () => {
  idp = await transmitterKey();
  impostor = await transmitterKey(IDP, 'idp-1');
  foreign = await transmitterKey('https://evil.example.com', 'evil-1');
});

function claims(overrides: Partial<SecurityEventTokenClaims> = {}): SecurityEventTokenClaims {
  const base = unsignedClaims(accountDisabled({ user: alice, occurredAt: NOW_S - 1 }), {
    issuer: IDP,
    audience: RAS,
    jti: 'set-1',
    txn: 'txn-1',
  });
  return { ...base, iat: NOW_S, ...overrides };
}

function receiver(overrides: Partial<PushReceiverOptions> = {}) {
  const applied: AcceptedSecurityEvent[] = [];
  const received = memoryReceivedEvents();
  const receive = createPushReceiver({
    audience: RAS,
    algorithms: ['ES256'],
    trustedTransmitters: (iss) =>
      iss === IDP ? idp.trusted : iss === foreign.trusted.issuer ? foreign.trusted : undefined,
    authenticateTransmitter: (authorization) => (authorization === CREDENTIAL ? IDP : undefined),
    maxAgeSeconds: 300,
    receivedEvents: received,
    commit: immediateCommit,
    apply: (accepted) => {
      applied.push(accepted);
    },
    now: () => NOW_MS,
    ...overrides,
  });
  return { receive, applied, received };
}

const push = (
  body: unknown,
  contentType: string | undefined = MEDIA_TYPE_SECEVENT_JWT,
  authorization = CREDENTIAL,
) => ({
  contentType,
  authorization,
  body,
});

describe('createPushReceiver: success', () => {
  it('[RFC8935-ACCEPT] answers 202 and applies the event once, with its jti recorded', async () => {
    const { receive, applied, received } = receiver();
    const answer = await receive(push(await mintSet(claims(), idp)));
    expect(answer).toMatchObject({ status: 202, event: { kind: 'subject', user: alice, at: NOW_S - 1 } });
    expect(applied).toHaveLength(1);
    expect(applied[0]?.claims.events).toEqual({ [EVENT_TYPE_ACCOUNT_DISABLED]: {} });
    expect(received.size()).toBe(1);
  });

  it('[RFC8935-ACCEPT] accepts a media type with parameters', async () => {
    const { receive } = receiver();
    const answer = await receive(push(await mintSet(claims(), idp), 'application/secevent+jwt; charset=utf-8'));
    expect(answer.status).toBe(202);
  });
});

describe('createPushReceiver: refusals change nothing', () => {
  const cases: [string, () => Promise<ReturnType<typeof push>>, string][] = [
    [
      '[RFC8935-MEDIA-TYPE] another media type',
      async () => push(await mintSet(claims(), idp), 'application/jwt'),
      'invalid_request',
    ],
    ['[RFC8935-MEDIA-TYPE] no body', async () => push(''), 'invalid_request'],
    ['[RFC8935-MEDIA-TYPE] a JSON object body', async () => push({ set: 'x' }), 'invalid_request'],
    [
      '[RFC8935-AUTHENTICATION] no credential',
      async () => push(await mintSet(claims(), idp), undefined, ''),
      'authentication_failed',
    ],
    [
      '[RFC8935-AUTHENTICATION] a wrong credential',
      async () => push(await mintSet(claims(), idp), MEDIA_TYPE_SECEVENT_JWT, 'Bearer nope'),
      'authentication_failed',
    ],
    [
      '[RFC8935-UNSIGNED] an unsigned SET (alg none)',
      async () => {
        const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
        return push(`${encode({ alg: 'none', typ: 'secevent+jwt', kid: 'idp-1' })}.${encode(claims())}.`);
      },
      'invalid_key',
    ],
    [
      '[RFC8935-SIGNATURE] a SET signed by another key under the same kid',
      async () => push(await mintSet(claims(), impostor)),
      'invalid_key',
    ],
    [
      '[RFC8935-SIGNATURE] an unknown kid',
      async () => push(await signRawSet({ typ: 'secevent+jwt', kid: 'x' }, claims(), idp)),
      'invalid_key',
    ],
    [
      '[RFC8935-ISSUER] a foreign issuer',
      async () => push(await mintSet(claims({ iss: 'https://other.example.com' }), idp)),
      'invalid_issuer',
    ],
    [
      '[RFC8935-AUDIENCE] another audience',
      async () => push(await mintSet(claims({ aud: 'https://other.example.com' }), idp)),
      'invalid_audience',
    ],
    [
      '[RFC8935-EXPIRED] an iat older than the window',
      async () => push(await mintSet(claims({ iat: NOW_S - 400 }), idp)),
      'invalid_request',
    ],
    [
      '[RFC8935-EXPIRED] an iat in the future',
      async () => push(await mintSet(claims({ iat: NOW_S + 120 }), idp)),
      'invalid_request',
    ],
    [
      '[RFC8935-MALFORMED] another kind of JWT',
      async () => push(await signRawSet({ typ: 'at+jwt', kid: 'idp-1' }, claims(), idp)),
      'invalid_request',
    ],
    [
      '[RFC8935-MALFORMED] a known event that does not conform',
      async () => push(await mintSet(claims({ sub_id: { format: 'email', email: 'alice@example.com' } }), idp)),
      'invalid_request',
    ],
  ];
  for (const [title, request, err] of cases) {
    it(`${title} is refused with 400 ${err}`, async () => {
      const { receive, applied, received } = receiver();
      const answer = await receive(await request());
      expect(answer).toMatchObject({ status: 400, body: { err } });
      if (answer.status === 400) expect(typeof answer.body.description).toBe('string');
      expect(applied).toHaveLength(0);
      expect(received.size()).toBe(0);
    });
  }

  it('[RFC8935-REPLAY] a replayed SET is refused (invalid_request) and applied only once', async () => {
    const { receive, applied } = receiver();
    const set = await mintSet(claims(), idp);
    expect((await receive(push(set))).status).toBe(202);
    expect(await receive(push(set))).toMatchObject({
      status: 400,
      body: { err: 'invalid_request' },
      reason: 'jti_replayed',
    });
    // Re-signed with the same jti (a retransmission): still the same event, still refused.
    expect(await receive(push(await mintSet(claims({ iat: NOW_S - 1 }), idp)))).toMatchObject({ status: 400 });
    expect(applied).toHaveLength(1);
  });

  it('[RFC8935-ACCESS-DENIED] a credential of one transmitter cannot carry another issuer’s SET', async () => {
    const { receive, applied } = receiver();
    const answer = await receive(push(await mintSet(claims({ iss: foreign.trusted.issuer }), foreign)));
    expect(answer).toMatchObject({ status: 400, body: { err: 'access_denied' } });
    expect(applied).toHaveLength(0);
  });

  it('[RFC8935-KEYS-UNAVAILABLE] keys that cannot be fetched answer 503 (the transmitter retries)', async () => {
    const { receive, applied } = receiver({
      trustedTransmitters: () => ({
        issuer: IDP,
        keys: async () => {
          throw new JwtValidationError('ERR_JWKS_UNAVAILABLE');
        },
      }),
    });
    expect(await receive(push(await mintSet(claims(), idp)))).toMatchObject({ status: 503 });
    expect(applied).toHaveLength(0);
  });

  it('[RFC8935-ATOMIC] when applying fails, the jti is not kept and the error reaches the caller', async () => {
    const received = memoryReceivedEvents();
    let committed = false;
    const { receive } = receiver({
      receivedEvents: received,
      // A transaction: the work's writes are kept only if it completes.
      commit: {
        submit: async (work) => {
          const result = work();
          committed = true;
          return result;
        },
      },
      apply: () => {
        throw new Error('disk full');
      },
    });
    await expect(receive(push(await mintSet(claims(), idp)))).rejects.toThrow('disk full');
    expect(committed).toBe(false);
  });
});
