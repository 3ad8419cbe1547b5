import { EVENT_TYPE_ACCOUNT_DISABLED, EVENT_TYPE_SESSION_REVOKED } from '@ema/protocol';
import { describe, expect, it } from 'vitest';
import { accountDisabled, fanOut, grantRevoked, type SsfStream } from '../../src/index.js';
import { IDP, NOW_S, RAS } from '../support/keys.js';
import { memoryOutbox } from '../support/memory-stores.js';

const OTHER_RAS = 'https://other-ras.example.com';
const alice = { iss: IDP, sub: 'usr_alice' };

function stream(streamId: string, audience: string, overrides: Partial<SsfStream> = {}): SsfStream {
  return {
    streamId,
    receiverId: `r-${streamId}`,
    audience,
    endpointUrl: `${audience}/ssf/events`,
    authorization: null,
    eventsRequested: [],
    eventsDelivered: [
      EVENT_TYPE_ACCOUNT_DISABLED,
      EVENT_TYPE_SESSION_REVOKED,
      `${IDP}/secevent/event-type/grant-revoked`,
    ],
    description: null,
    status: 'enabled',
    createdAt: 1,
    updatedAt: 1,
    ...overrides,
  };
}

describe('fanOut', () => {
  it('[SSF-FAN-OUT] one SET per stream that delivers the event, each with its own jti and aud, one txn', () => {
    const outbox = memoryOutbox();
    let jtis = 0;
    const streams = [
      stream('s1', RAS),
      stream('s2', OTHER_RAS),
      stream('s3', 'https://not-interested.example.com', { eventsDelivered: [EVENT_TYPE_SESSION_REVOKED] }),
      stream('s4', 'https://disabled.example.com', { status: 'disabled' }),
    ];
    const count = fanOut(accountDisabled({ user: alice, occurredAt: NOW_S }), {
      issuer: IDP,
      outbox,
      streams,
      txn: 'txn-1',
      newJti: () => `j${++jtis}`,
      now: 5,
    });
    expect(count).toBe(2);
    expect(outbox.entries.map((entry) => [entry.destination, entry.jti, entry.claims.aud, entry.claims.txn])).toEqual([
      ['s1', 'j1', RAS, 'txn-1'],
      ['s2', 'j2', OTHER_RAS, 'txn-1'],
    ]);
  });

  it('[SSF-FAN-OUT] an event about one resource goes only to the authorization server of that resource', () => {
    const outbox = memoryOutbox();
    const event = grantRevoked({
      issuer: IDP,
      user: alice,
      resource: 'https://mcp.example.com/mcp',
      scopesRevoked: ['tickets.write'],
      occurredAt: NOW_S,
    });
    fanOut(event, {
      issuer: IDP,
      outbox,
      streams: [stream('s1', RAS), stream('s2', OTHER_RAS)],
      txn: 't',
      newJti: () => 'j',
      now: 1,
      audience: RAS,
    });
    expect(outbox.entries.map((entry) => entry.destination)).toEqual(['s1']);
  });
});
