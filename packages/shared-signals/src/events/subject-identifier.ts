/**
 * Subject identifiers (RFC 9493 §3) as SSF 1.0 uses them in `sub_id`: the simple formats this project sends, the
 * complex subject that names a user and one of their sessions, and readers that take a received subject apart
 * without trusting its shape.
 */
import {
  SUBJECT_FORMAT_COMPLEX,
  SUBJECT_FORMAT_ISS_SUB,
  SUBJECT_FORMAT_JWT_ID,
  SUBJECT_FORMAT_OPAQUE,
  type SubjectIdentifier,
} from '@ema/protocol';

/** A principal named by its issuer and its `sub` there (RFC 9493 §3.2.3 "iss_sub"). */
export interface IssuerSubject {
  readonly iss: string;
  readonly sub: string;
}

/** RFC 9493 §3.2.3: the `iss_sub` subject identifier. */
export function issSubSubject(subject: IssuerSubject): SubjectIdentifier {
  return { format: SUBJECT_FORMAT_ISS_SUB, iss: subject.iss, sub: subject.sub };
}

/** RFC 9493 §3.2.4: an `opaque` identifier (a session id, a stream id). */
export function opaqueSubject(id: string): SubjectIdentifier {
  return { format: SUBJECT_FORMAT_OPAQUE, id };
}

/** SSF 1.0 (JWT ID format): the JWT named by its issuer and `jti`. */
export function jwtIdSubject(iss: string, jti: string): SubjectIdentifier {
  return { format: SUBJECT_FORMAT_JWT_ID, iss, jti };
}

/** SSF 1.0 (Complex Subject Members): one user, and optionally one of their sessions, as a single principal. */
export function userSessionSubject(user: IssuerSubject, sessionId: string | undefined): SubjectIdentifier {
  if (sessionId === undefined) return issSubSubject(user);
  return { format: SUBJECT_FORMAT_COMPLEX, user: issSubSubject(user), session: opaqueSubject(sessionId) };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function nonEmpty(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0;
}

function readIssSub(value: unknown): IssuerSubject | undefined {
  if (!isObject(value) || value.format !== SUBJECT_FORMAT_ISS_SUB) return undefined;
  return nonEmpty(value.iss) && nonEmpty(value.sub) ? { iss: value.iss, sub: value.sub } : undefined;
}

/** The user a subject names: an `iss_sub` subject, or the `user` member of a complex one; otherwise undefined. */
export function readUser(subject: unknown): IssuerSubject | undefined {
  if (isObject(subject) && subject.format === SUBJECT_FORMAT_COMPLEX) return readIssSub(subject.user);
  return readIssSub(subject);
}

/** The session a complex subject names (`session`, format `opaque`); otherwise undefined. */
export function readSession(subject: unknown): string | undefined {
  if (!isObject(subject) || subject.format !== SUBJECT_FORMAT_COMPLEX) return undefined;
  const session = subject.session;
  if (!isObject(session) || session.format !== SUBJECT_FORMAT_OPAQUE) return undefined;
  return nonEmpty(session.id) ? session.id : undefined;
}

/** Whether a complex subject has a `session` member at all (even one this reader cannot use). */
export function namesSession(subject: unknown): boolean {
  return isObject(subject) && subject.format === SUBJECT_FORMAT_COMPLEX && subject.session !== undefined;
}

/** The JWT a `jwt_id` subject names; otherwise undefined. */
export function readJwtId(subject: unknown): { iss: string; jti: string } | undefined {
  if (!isObject(subject) || subject.format !== SUBJECT_FORMAT_JWT_ID) return undefined;
  return nonEmpty(subject.iss) && nonEmpty(subject.jti) ? { iss: subject.iss, jti: subject.jti } : undefined;
}
