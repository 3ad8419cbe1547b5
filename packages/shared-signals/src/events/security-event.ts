/**
 * The events a Transmitter of this project sends, built as values: the event type, the subject (`sub_id`), the
 * event object and when it happened. `unsignedClaims` turns one into the claims of a SET for one receiver; the
 * outbox keeps those claims and the delivery loop adds `iat` and signs at each attempt.
 */
import {
  EVENT_NAME_GRANT_REVOKED,
  EVENT_NAME_TOKEN_REVOKED,
  EVENT_TYPE_ACCOUNT_DISABLED,
  EVENT_TYPE_ACCOUNT_PURGED,
  EVENT_TYPE_SESSION_REVOKED,
  EVENT_TYPE_VERIFICATION,
  formatScope,
  issuerEventType,
  type SecurityEventTokenClaims,
  type SubjectIdentifier,
} from '@ema/protocol';
import {
  type IssuerSubject,
  issSubSubject,
  jwtIdSubject,
  opaqueSubject,
  userSessionSubject,
} from './subject-identifier.js';

/** One event, before it is addressed to a receiver. */
export interface SecurityEvent {
  readonly eventType: string;
  /** The primary subject: the SET's `sub_id` (SSF 1.0 §3, new event types use the top-level claim). */
  readonly subject: SubjectIdentifier;
  /** The event object (the value under the event type in `events`). */
  readonly payload: Readonly<Record<string, unknown>>;
  /** When the event happened, seconds: the SET's `toe` (RFC 8417 §2.2). */
  readonly occurredAt: number;
}

/** The claims of a SET for one receiver, without `iat`: it is set (and the SET signed) at each delivery attempt. */
export type UnsignedSecurityEventToken = Omit<SecurityEventTokenClaims, 'iat'>;

/** CAEP 1.0 §3.1 `initiating_entity`: who caused the event. */
export type InitiatingEntity = 'admin' | 'user' | 'policy' | 'system';

/**
 * CAEP 1.0 §3.1 session-revoked. With a session id the subject is complex (`user` + `session`): that one session
 * ended. Without one it is the user: every session of theirs ended.
 */
export function sessionRevoked(event: {
  user: IssuerSubject;
  sessionId?: string | undefined;
  occurredAt: number;
  initiatingEntity: InitiatingEntity;
  reasonAdmin?: string;
}): SecurityEvent {
  return {
    eventType: EVENT_TYPE_SESSION_REVOKED,
    subject: userSessionSubject(event.user, event.sessionId),
    payload: {
      // CAEP 1.0 §2: event_timestamp (seconds), initiating_entity, and a language-tagged reason for admins.
      event_timestamp: event.occurredAt,
      initiating_entity: event.initiatingEntity,
      ...(event.reasonAdmin === undefined ? {} : { reason_admin: { en: event.reasonAdmin } }),
    },
    occurredAt: event.occurredAt,
  };
}

/** RISC 1.0 §2.3 account-disabled: the user's account was disabled. */
export function accountDisabled(event: { user: IssuerSubject; occurredAt: number }): SecurityEvent {
  return {
    eventType: EVENT_TYPE_ACCOUNT_DISABLED,
    subject: issSubSubject(event.user),
    payload: {},
    occurredAt: event.occurredAt,
  };
}

/** RISC 1.0 §2.2 account-purged: the user's account was deleted. */
export function accountPurged(event: { user: IssuerSubject; occurredAt: number }): SecurityEvent {
  return {
    eventType: EVENT_TYPE_ACCOUNT_PURGED,
    subject: issSubSubject(event.user),
    payload: {},
    occurredAt: event.occurredAt,
  };
}

/**
 * This project's policy-change event, `<issuer>/secevent/event-type/grant-revoked`: a change of admin policy took
 * some or all of a grant from the user at one resource. `resource` names it (RFC 8707 identifier), `scope` the scopes
 * the user lost (space-separated), `event_timestamp` when (as CAEP events do).
 */
export function grantRevoked(event: {
  issuer: string;
  user: IssuerSubject;
  resource: string;
  scopesRevoked: readonly string[];
  occurredAt: number;
}): SecurityEvent {
  return {
    eventType: issuerEventType(event.issuer, EVENT_NAME_GRANT_REVOKED),
    subject: issSubSubject(event.user),
    payload: { resource: event.resource, scope: formatScope(event.scopesRevoked), event_timestamp: event.occurredAt },
    occurredAt: event.occurredAt,
  };
}

/**
 * This project's token event, `<issuer>/secevent/event-type/token-revoked`: the access token `jti` that `issuer`
 * issued was revoked. The subject is the token (SSF 1.0 `jwt_id`); `expires_at` is the token's own `exp`, after
 * which a receiver may forget the revocation.
 */
export function tokenRevoked(event: {
  issuer: string;
  jti: string;
  expiresAt: number;
  occurredAt: number;
}): SecurityEvent {
  return {
    eventType: issuerEventType(event.issuer, EVENT_NAME_TOKEN_REVOKED),
    subject: jwtIdSubject(event.issuer, event.jti),
    payload: { expires_at: event.expiresAt, event_timestamp: event.occurredAt },
    occurredAt: event.occurredAt,
  };
}

/** SSF 1.0 §8.1.4 verification event: the subject is the stream, `state` echoes the receiver's request. */
export function verification(event: {
  streamId: string;
  state: string | undefined;
  occurredAt: number;
}): SecurityEvent {
  return {
    eventType: EVENT_TYPE_VERIFICATION,
    subject: opaqueSubject(event.streamId),
    payload: event.state === undefined ? {} : { state: event.state },
    occurredAt: event.occurredAt,
  };
}

/**
 * The claims of the SET carrying `event` to one receiver (RFC 8417 §2.2, SSF 1.0 §4.1): `iss`, `aud` (that receiver
 * only: SSF 1.0 §4.1 "aud"), a unique `jti`, `txn` shared by every SET of one change, `toe`, `sub_id` and exactly one
 * event. No `sub`, no `exp`.
 */
export function unsignedClaims(
  event: SecurityEvent,
  addressing: { issuer: string; audience: string; jti: string; txn: string },
): UnsignedSecurityEventToken {
  return {
    iss: addressing.issuer,
    aud: addressing.audience,
    jti: addressing.jti,
    txn: addressing.txn,
    toe: event.occurredAt,
    sub_id: event.subject,
    events: { [event.eventType]: { ...event.payload } },
  };
}
