/**
 * `@ema/shared-signals`: revocation across the chain with the OpenID Shared Signals Framework, framework- and
 * storage-neutral. The events this project sends (CAEP session-revoked, RISC account-disabled and account-purged,
 * its own grant-revoked and token-revoked, SSF verification) as values and SET claims; the receiving end of RFC 8935
 * push (`createPushReceiver`); the transmitting end (a durable outbox seam and `createDeliveryLoop` with retries and
 * backoff); SSF stream requests. SQL storage (SQLite or PostgreSQL, one set of queries) is
 * `@ema/shared-signals/sqlite`, the Fastify receiver route `@ema/shared-signals/fastify`.
 */
export { type ReceivedEvent, readReceivedEvent } from './events/received-event.js';
export {
  accountDisabled,
  accountPurged,
  grantRevoked,
  type InitiatingEntity,
  type SecurityEvent,
  sessionRevoked,
  tokenRevoked,
  type UnsignedSecurityEventToken,
  unsignedClaims,
  verification,
} from './events/security-event.js';
export {
  type IssuerSubject,
  issSubSubject,
  jwtIdSubject,
  namesSession,
  opaqueSubject,
  readJwtId,
  readSession,
  readUser,
  userSessionSubject,
} from './events/subject-identifier.js';
export { PushRefusal } from './receiver/push-error.js';
export {
  type AcceptedSecurityEvent,
  createPushReceiver,
  MAX_SET_BYTES,
  type PushAnswer,
  type PushReceiver,
  type PushReceiverOptions,
  type PushRequest,
} from './receiver/push-receiver.js';
export type { EventCommit, ReceivedSecurityEvent, ReceivedSecurityEvents } from './receiver/received-events.js';
export { type FanOutOptions, fanOut } from './streams/fan-out.js';
export {
  type PushStreamRegistration,
  type RegisteredStream,
  registerPushStream,
  requestVerification,
  StreamRegistrationError,
} from './streams/register-stream.js';
export type { SsfReceiver, SsfStream, SsfStreamStorage, StreamStatusValue } from './streams/stream.js';
export {
  createStreamManagement,
  type ManagementAnswer,
  type StreamManagement,
  type StreamManagementOptions,
} from './streams/stream-management.js';
export {
  readStreamRequest,
  type StreamRequest,
  StreamRequestError,
  type StreamRequestRules,
} from './streams/stream-request.js';
export {
  createDeliveryLoop,
  type DeliveryLoop,
  type DeliveryLoopOptions,
  type DeliveryReport,
} from './transmitter/delivery-loop.js';
export type {
  OutboxEntry,
  OutboxOutcome,
  PushDestination,
  PushDestinations,
  SecurityEventOutbox,
} from './transmitter/outbox.js';
export { type PushLimits, type PushOutcome, pushSecurityEvent } from './transmitter/push-delivery.js';
export { DEFAULT_RETRY_POLICY, type RetryPolicy, retryDelayMs } from './transmitter/retry-policy.js';
export { signAtDelivery } from './transmitter/sign-at-delivery.js';
