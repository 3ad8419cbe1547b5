import Fastify from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import { pushEndpoint } from '../../src/fastify.js';
import { type AcceptedSecurityEvent, accountDisabled, createPushReceiver, unsignedClaims } from '../../src/index.js';
import { IDP, mintSet, NOW_MS, NOW_S, RAS, type TransmitterKey, transmitterKey } from '../support/keys.js';
import { immediateCommit, memoryReceivedEvents } from '../support/memory-stores.js';

let idp: TransmitterKey;
let jtis = 0;

beforeAll(async () => {
  idp = await transmitterKey();
});

async function app(rateLimit = { max: 100, timeWindowMs: 60_000 }) {
  const applied: AcceptedSecurityEvent[] = [];
  const fastify = Fastify();
  await fastify.register(pushEndpoint, {
    path: '/ssf/events',
    rateLimit,
    receiver: createPushReceiver({
      audience: RAS,
      algorithms: ['ES256'],
      trustedTransmitters: (iss) => (iss === IDP ? idp.trusted : undefined),
      maxAgeSeconds: 300,
      receivedEvents: memoryReceivedEvents(),
      commit: immediateCommit,
      apply: (accepted) => {
        applied.push(accepted);
      },
      now: () => NOW_MS,
    }),
  });
  return { fastify, applied };
}

async function set(): Promise<string> {
  jtis += 1;
  const claims = unsignedClaims(accountDisabled({ user: { iss: IDP, sub: 'u' }, occurredAt: NOW_S }), {
    issuer: IDP,
    audience: RAS,
    jti: `j${jtis}`,
    txn: 't',
  });
  return mintSet({ ...claims, iat: NOW_S }, idp);
}

describe('pushEndpoint (Fastify)', () => {
  it('[RFC8935-ACCEPT] answers 202 with an empty body', async () => {
    const { fastify, applied } = await app();
    const response = await fastify.inject({
      method: 'POST',
      url: '/ssf/events',
      headers: { 'content-type': 'application/secevent+jwt' },
      payload: await set(),
    });
    expect(response.statusCode).toBe(202);
    expect(response.body).toBe('');
    expect(applied).toHaveLength(1);
  });

  it('[RFC8935-MEDIA-TYPE] any other media type, or an oversized body, is 400 invalid_request in the RFC 8935 shape', async () => {
    const { fastify, applied } = await app();
    const json = await fastify.inject({ method: 'POST', url: '/ssf/events', payload: { set: await set() } });
    expect(json.statusCode).toBe(400);
    expect(json.json()).toEqual({
      err: 'invalid_request',
      description: 'the media type must be application/secevent+jwt',
    });
    const huge = await fastify.inject({
      method: 'POST',
      url: '/ssf/events',
      headers: { 'content-type': 'application/secevent+jwt' },
      payload: 'a'.repeat(64 * 1024),
    });
    expect(huge.statusCode).toBe(400);
    expect(huge.json()).toMatchObject({ err: 'invalid_request' });
    expect(applied).toHaveLength(0);
  });

  it('[RFC8935-RATE-LIMIT] a flood from one address is refused with 429 before any verification', async () => {
    const { fastify, applied } = await app({ max: 3, timeWindowMs: 60_000 });
    const statuses: number[] = [];
    for (let i = 0; i < 6; i += 1) {
      const response = await fastify.inject({
        method: 'POST',
        url: '/ssf/events',
        headers: { 'content-type': 'application/secevent+jwt' },
        payload: await set(),
      });
      statuses.push(response.statusCode);
    }
    expect(statuses).toEqual([202, 202, 202, 429, 429, 429]);
    expect(applied).toHaveLength(3);
  });
});
