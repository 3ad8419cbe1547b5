import {
  EVENT_TYPE_ACCOUNT_DISABLED,
  EVENT_TYPE_ACCOUNT_PURGED,
  EVENT_TYPE_SESSION_REVOKED,
  EVENT_TYPE_VERIFICATION,
  type SecurityEventTokenClaims,
} from '@ema/protocol';
import { describe, expect, it } from 'vitest';
import {
  accountDisabled,
  accountPurged,
  grantRevoked,
  PushRefusal,
  readReceivedEvent,
  type SecurityEvent,
  sessionRevoked,
  tokenRevoked,
  unsignedClaims,
  verification,
} from '../../src/index.js';
import { IDP, NOW_S, RAS } from '../support/keys.js';

const alice = { iss: IDP, sub: 'usr_alice' };

function received(event: SecurityEvent, issuer = IDP): SecurityEventTokenClaims {
  return { ...unsignedClaims(event, { issuer, audience: RAS, jti: 'j1', txn: 't1' }), iat: NOW_S };
}

function refusedAsMalformed(claims: SecurityEventTokenClaims): void {
  let error: unknown;
  try {
    readReceivedEvent(claims);
  } catch (caught) {
    error = caught;
  }
  expect(error).toBeInstanceOf(PushRefusal);
  expect(error).toMatchObject({ err: 'invalid_request' });
}

describe('the events this project sends, read back by a receiver', () => {
  it('[SSF-SET-PROFILE] a SET carries iss, aud, jti, txn, toe, sub_id and exactly one event, never sub or exp', () => {
    const claims = unsignedClaims(accountDisabled({ user: alice, occurredAt: NOW_S - 2 }), {
      issuer: IDP,
      audience: RAS,
      jti: 'j1',
      txn: 't1',
    });
    expect(claims).toEqual({
      iss: IDP,
      aud: RAS,
      jti: 'j1',
      txn: 't1',
      toe: NOW_S - 2,
      sub_id: { format: 'iss_sub', ...alice },
      events: { [EVENT_TYPE_ACCOUNT_DISABLED]: {} },
    });
  });

  it('[SSF-RISC-ACCOUNT] account-disabled and account-purged revoke the user as of the event time', () => {
    for (const event of [accountDisabled, accountPurged]) {
      expect(readReceivedEvent(received(event({ user: alice, occurredAt: NOW_S - 3 })))).toMatchObject({
        kind: 'subject',
        user: alice,
        at: NOW_S - 3,
        resource: undefined,
      });
    }
    expect(readReceivedEvent(received(accountPurged({ user: alice, occurredAt: 1 }))).eventType).toBe(
      EVENT_TYPE_ACCOUNT_PURGED,
    );
  });

  it('[SSF-CAEP-SESSION-REVOKED] session-revoked names one session, or every session of the user', () => {
    const one = sessionRevoked({ user: alice, sessionId: 'sid_1', occurredAt: NOW_S - 1, initiatingEntity: 'user' });
    expect(one.payload).toEqual({ event_timestamp: NOW_S - 1, initiating_entity: 'user' });
    expect(readReceivedEvent(received(one))).toEqual({
      kind: 'session',
      eventType: EVENT_TYPE_SESSION_REVOKED,
      user: alice,
      sessionId: 'sid_1',
      at: NOW_S - 1,
    });
    const all = sessionRevoked({
      user: alice,
      occurredAt: NOW_S,
      initiatingEntity: 'admin',
      reasonAdmin: 'lost laptop',
    });
    expect(all.payload).toMatchObject({ reason_admin: { en: 'lost laptop' } });
    expect(readReceivedEvent(received(all))).toMatchObject({ kind: 'subject', user: alice, at: NOW_S });
  });

  it('[SSF-EMA-GRANT-REVOKED] grant-revoked is an event type under the IdP issuer, about one resource', () => {
    const event = grantRevoked({
      issuer: IDP,
      user: alice,
      resource: 'https://mcp.example.com/mcp',
      scopesRevoked: ['tickets.write'],
      occurredAt: NOW_S,
    });
    expect(event.eventType).toBe(`${IDP}/secevent/event-type/grant-revoked`);
    expect(readReceivedEvent(received(event))).toMatchObject({
      kind: 'subject',
      user: alice,
      resource: 'https://mcp.example.com/mcp',
    });
    // The same event type named under another issuer is not this issuer's event: nothing to act on.
    expect(readReceivedEvent(received(event, 'https://other.example.com')).kind).toBe('other');
  });

  it('[SSF-EMA-TOKEN-REVOKED] token-revoked names one token of its issuer and when it expires', () => {
    const event = tokenRevoked({ issuer: RAS, jti: 'at-1', expiresAt: NOW_S + 900, occurredAt: NOW_S });
    expect(readReceivedEvent(received(event, RAS))).toEqual({
      kind: 'token',
      eventType: `${RAS}/secevent/event-type/token-revoked`,
      iss: RAS,
      jti: 'at-1',
      at: NOW_S,
      expiresAt: NOW_S + 900,
    });
    // A transmitter speaks only for its own tokens.
    const foreign = received(tokenRevoked({ issuer: RAS, jti: 'at-1', expiresAt: 1, occurredAt: 1 }), RAS);
    refusedAsMalformed({ ...foreign, sub_id: { format: 'jwt_id', iss: IDP, jti: 'at-1' } });
  });

  it('[SSF-VERIFICATION] verification echoes the state', () => {
    const event = verification({ streamId: 'st-1', state: 'abc', occurredAt: NOW_S });
    expect(event.subject).toEqual({ format: 'opaque', id: 'st-1' });
    expect(readReceivedEvent(received(event))).toEqual({
      kind: 'verification',
      eventType: EVENT_TYPE_VERIFICATION,
      state: 'abc',
    });
  });

  it('[SSF-UNKNOWN-EVENT] an event type the receiver does not know is read as "other", not refused', () => {
    const claims = received(accountDisabled({ user: alice, occurredAt: 1 }));
    expect(readReceivedEvent({ ...claims, events: { 'https://example.com/other': { x: 1 } } })).toEqual({
      kind: 'other',
      eventType: 'https://example.com/other',
    });
  });

  it('[SSF-MALFORMED-EVENT] a known event that does not conform is refused (invalid_request)', () => {
    const disabled = received(accountDisabled({ user: alice, occurredAt: 1 }));
    refusedAsMalformed({ ...disabled, sub_id: { format: 'email', email: 'alice@example.com' } });
    const { sub_id: _omitted, ...noSubject } = disabled;
    refusedAsMalformed(noSubject);
    const session = received(sessionRevoked({ user: alice, sessionId: 's', occurredAt: 1, initiatingEntity: 'user' }));
    refusedAsMalformed({
      ...session,
      sub_id: { format: 'complex', user: { format: 'iss_sub', ...alice }, session: 7 },
    });
    refusedAsMalformed({ ...session, events: { [EVENT_TYPE_SESSION_REVOKED]: { event_timestamp: 'now' } } });
    const grant = received(
      grantRevoked({
        issuer: IDP,
        user: alice,
        resource: 'https://mcp.example.com/mcp',
        scopesRevoked: [],
        occurredAt: 1,
      }),
    );
    refusedAsMalformed({ ...grant, events: { [`${IDP}/secevent/event-type/grant-revoked`]: { resource: 'nope' } } });
    refusedAsMalformed({
      ...received(verification({ streamId: 's', state: undefined, occurredAt: 1 })),
      events: {
        [EVENT_TYPE_VERIFICATION]: { state: 1 },
      },
    });
  });
});
