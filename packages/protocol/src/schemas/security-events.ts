import { type Static, Type } from '@sinclair/typebox';
import { PUSH_ERROR_CODES } from '../security-events.js';

const NumericDate = Type.Integer({ minimum: 0, description: 'Seconds since the epoch (RFC 7519 §2)' });
const Strings = Type.Array(Type.String());

/**
 * RFC 9493 §3 subject identifier: a `format` and the members that format defines. Receivers read the formats they
 * know (`iss_sub`, `opaque`, `email`, `jwt_id`, SSF's `complex`) and ignore the rest (SSF 1.0 §3, Receiver Subject Processing).
 */
export const SubjectIdentifier = Type.Intersect([
  Type.Object({ format: Type.String() }),
  Type.Record(Type.String(), Type.Unknown()),
]);
export type SubjectIdentifier = Static<typeof SubjectIdentifier>;

/**
 * RFC 8417 §2.2 as profiled by SSF 1.0 §4.1: `iss`, `iat`, `jti`, `aud`, `events` (one event), the subject in
 * `sub_id` (RFC 9493 §4), `txn` and `toe` when known; never `sub` or `exp` (checked by the verifier).
 */
export const SecurityEventTokenClaims = Type.Object(
  {
    iss: Type.String(),
    iat: NumericDate,
    jti: Type.String(),
    aud: Type.Union([Type.String(), Type.Array(Type.String(), { minItems: 1 })]),
    sub_id: Type.Optional(SubjectIdentifier),
    txn: Type.Optional(Type.String()),
    toe: Type.Optional(NumericDate),
    events: Type.Record(Type.String(), Type.Record(Type.String(), Type.Unknown())),
  },
  { additionalProperties: true },
);
export type SecurityEventTokenClaims = Static<typeof SecurityEventTokenClaims>;

/** RFC 8935 §2.3: the body of a failed push. */
export const PushErrorResponse = Type.Object({
  err: Type.Union(PUSH_ERROR_CODES.map((code) => Type.Literal(code))),
  description: Type.String(),
});
export type PushErrorResponse = Static<typeof PushErrorResponse>;

/** SSF 1.0 §7.1: Transmitter Configuration Metadata, as this project's IdP publishes it. */
export const SsfConfiguration = Type.Object(
  {
    spec_version: Type.Optional(Type.String()),
    issuer: Type.String(),
    jwks_uri: Type.String(),
    delivery_methods_supported: Type.Optional(Strings),
    configuration_endpoint: Type.Optional(Type.String()),
    status_endpoint: Type.Optional(Type.String()),
    verification_endpoint: Type.Optional(Type.String()),
    authorization_schemes: Type.Optional(Type.Array(Type.Object({ spec_urn: Type.String() }))),
    default_subjects: Type.Optional(Type.Union([Type.Literal('ALL'), Type.Literal('NONE')])),
  },
  { additionalProperties: true },
);
export type SsfConfiguration = Static<typeof SsfConfiguration>;

/** SSF 1.0 §6.1.1: push delivery settings of a stream (`authorization_header` is write-only here). */
export const PushDelivery = Type.Object({
  method: Type.String(),
  endpoint_url: Type.String(),
  authorization_header: Type.Optional(Type.String()),
});
export type PushDelivery = Static<typeof PushDelivery>;

/** SSF 1.0 §8.1.1: what a Receiver supplies to create, replace or update a stream. */
export const StreamConfigurationInput = Type.Object(
  {
    stream_id: Type.Optional(Type.String()),
    delivery: Type.Optional(PushDelivery),
    events_requested: Type.Optional(Strings),
    description: Type.Optional(Type.String()),
  },
  { additionalProperties: true },
);
export type StreamConfigurationInput = Static<typeof StreamConfigurationInput>;

/** SSF 1.0 §8.1.1: a stream's configuration as the Transmitter answers it. */
export const StreamConfiguration = Type.Object(
  {
    stream_id: Type.String(),
    iss: Type.String(),
    aud: Type.String(),
    events_supported: Strings,
    events_requested: Strings,
    events_delivered: Strings,
    delivery: Type.Object({ method: Type.String(), endpoint_url: Type.String() }),
    description: Type.Optional(Type.String()),
    min_verification_interval: Type.Optional(Type.Integer({ minimum: 0 })),
  },
  { additionalProperties: true },
);
export type StreamConfiguration = Static<typeof StreamConfiguration>;

/** SSF 1.0 §8.1.2: a stream's status. */
export const StreamStatus = Type.Object({
  stream_id: Type.String(),
  status: Type.Union([Type.Literal('enabled'), Type.Literal('paused'), Type.Literal('disabled')]),
  reason: Type.Optional(Type.String()),
});
export type StreamStatus = Static<typeof StreamStatus>;

/** SSF 1.0 §8.1.4.2: a Receiver's request for a verification event. */
export const VerificationRequest = Type.Object({
  stream_id: Type.String(),
  state: Type.Optional(Type.String({ maxLength: 256 })),
});
export type VerificationRequest = Static<typeof VerificationRequest>;
