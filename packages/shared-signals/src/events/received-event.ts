/**
 * What a receiver acts on, read from a verified SET: the revocations of this project's chain (a user, a user at one
 * resource, one session, one token), the verification event, or an event it has no action for. Reading is strict for
 * the event types it knows (a malformed one is refused with `invalid_request`, RFC 8935 §2.4) and silent about the
 * rest (SSF 1.0: receivers ignore what they do not understand).
 */
import {
  EVENT_NAME_GRANT_REVOKED,
  EVENT_NAME_TOKEN_REVOKED,
  EVENT_TYPE_ACCOUNT_DISABLED,
  EVENT_TYPE_ACCOUNT_PURGED,
  EVENT_TYPE_SESSION_REVOKED,
  EVENT_TYPE_VERIFICATION,
  issuerEventType,
  type SecurityEventTokenClaims,
} from '@ema/protocol';
import { PushRefusal } from '../receiver/push-error.js';
import { type IssuerSubject, namesSession, readJwtId, readSession, readUser } from './subject-identifier.js';

/** A received event, as the receiver acts on it. `at` is when it happened (seconds, the transmitter's clock). */
export type ReceivedEvent =
  /** Every grant of the user (or, with `resource`, their grant at that resource) issued up to `at` is revoked. */
  | { kind: 'subject'; eventType: string; user: IssuerSubject; at: number; resource: string | undefined }
  /** The user's session `sessionId` ended: whatever descends from it is revoked. */
  | { kind: 'session'; eventType: string; user: IssuerSubject; sessionId: string; at: number }
  /** One token (`jti`, issued by `iss`) is revoked, until it would have expired (`expiresAt`, seconds) at the latest. */
  | { kind: 'token'; eventType: string; iss: string; jti: string; at: number; expiresAt: number | undefined }
  /** SSF 1.0 §8.1.4: the transmitter confirms the stream works; `state` echoes the receiver's request. */
  | { kind: 'verification'; eventType: string; state: string | undefined }
  /** An event type this receiver takes no action on. */
  | { kind: 'other'; eventType: string };

function malformed(why: string): PushRefusal {
  return new PushRefusal('invalid_request', 'the event does not conform to its definition', why);
}

function requireUser(claims: SecurityEventTokenClaims): IssuerSubject {
  const user = readUser(claims.sub_id);
  if (user === undefined) throw malformed('sub_id names no iss_sub user');
  // A transmitter speaks for its own subjects only: an IdP about its users, a RAS about its accounts.
  if (user.iss !== claims.iss) throw malformed('sub_id names a subject of another issuer');
  return user;
}

// CAEP 1.0 §2 event_timestamp, else RFC 8417 toe, else the SET's iat: when the event happened.
function occurredAt(claims: SecurityEventTokenClaims, payload: Record<string, unknown>): number {
  const stamp = payload.event_timestamp;
  if (stamp === undefined) return claims.toe ?? claims.iat;
  if (typeof stamp !== 'number' || !Number.isFinite(stamp) || stamp < 0) throw malformed('event_timestamp');
  return Math.floor(stamp);
}

/** Reads the one event of a verified SET (SSF 1.0 §4.1: one event; alternatives of one type are read in order). */
export function readReceivedEvent(claims: SecurityEventTokenClaims): ReceivedEvent {
  const entries = Object.entries(claims.events);
  const known = entries.find(([type]) => readers(claims.iss).has(type)) ?? entries[0];
  if (known === undefined) throw malformed('no event');
  const [eventType, payload] = known;
  const read = readers(claims.iss).get(eventType);
  return read === undefined ? { kind: 'other', eventType } : read(claims, payload, eventType);
}

type Reader = (claims: SecurityEventTokenClaims, payload: Record<string, unknown>, eventType: string) => ReceivedEvent;

function readers(issuer: string): Map<string, Reader> {
  const subject: Reader = (claims, payload, eventType) => ({
    kind: 'subject',
    eventType,
    user: requireUser(claims),
    at: occurredAt(claims, payload),
    resource: undefined,
  });
  return new Map<string, Reader>([
    [EVENT_TYPE_ACCOUNT_DISABLED, subject],
    [EVENT_TYPE_ACCOUNT_PURGED, subject],
    [
      EVENT_TYPE_SESSION_REVOKED,
      (claims, payload, eventType) => {
        const user = requireUser(claims);
        const at = occurredAt(claims, payload);
        if (!namesSession(claims.sub_id)) return { kind: 'subject', eventType, user, at, resource: undefined };
        const sessionId = readSession(claims.sub_id);
        // A session we cannot read must not be widened to "every session", nor ignored: refuse it.
        if (sessionId === undefined) throw malformed('the session is not an opaque identifier');
        return { kind: 'session', eventType, user, sessionId, at };
      },
    ],
    [
      issuerEventType(issuer, EVENT_NAME_GRANT_REVOKED),
      (claims, payload, eventType) => {
        const resource = payload.resource;
        if (typeof resource !== 'string' || !URL.canParse(resource)) throw malformed('resource');
        return { kind: 'subject', eventType, user: requireUser(claims), at: occurredAt(claims, payload), resource };
      },
    ],
    [
      issuerEventType(issuer, EVENT_NAME_TOKEN_REVOKED),
      (claims, payload, eventType) => {
        const token = readJwtId(claims.sub_id);
        // A transmitter speaks only for the tokens it issued.
        if (token === undefined || token.iss !== claims.iss) throw malformed('sub_id is not a jwt_id of the issuer');
        const expiresAt = payload.expires_at;
        if (expiresAt !== undefined && (typeof expiresAt !== 'number' || !Number.isSafeInteger(expiresAt))) {
          throw malformed('expires_at');
        }
        return { kind: 'token', eventType, ...token, at: occurredAt(claims, payload), expiresAt };
      },
    ],
    [
      EVENT_TYPE_VERIFICATION,
      (_claims, payload, eventType) => {
        const state = payload.state;
        if (state !== undefined && typeof state !== 'string') throw malformed('state');
        return { kind: 'verification', eventType, state };
      },
    ],
  ]);
}
