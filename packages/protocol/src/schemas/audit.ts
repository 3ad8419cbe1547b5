import { type Static, Type } from '@sinclair/typebox';

/**
 * One audit record as every admin API and export shows it (snake_case on the wire, as OAuth does). A token is named
 * by its `jti`, never its value; `reason` is the precise refusal reason the client was never told.
 */
export const AuditRecordView = Type.Object({
  id: Type.Integer(),
  /** Epoch milliseconds. */
  at: Type.Integer(),
  type: Type.String(),
  outcome: Type.Union([
    Type.Literal('allow'),
    Type.Literal('deny'),
    Type.Literal('success'),
    Type.Literal('failure'),
    Type.Literal('info'),
  ]),
  reason: Type.Optional(Type.String()),
  actor: Type.Optional(Type.String()),
  subject: Type.Optional(Type.String()),
  client_id: Type.Optional(Type.String()),
  resource: Type.Optional(Type.String()),
  jti: Type.Optional(Type.String()),
  details: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
});
export type AuditRecordView = Static<typeof AuditRecordView>;

/** A page of audit records, newest first. */
export const AuditRecordList = Type.Object({ events: Type.Array(AuditRecordView) });
export type AuditRecordList = Static<typeof AuditRecordList>;

/** The filters of an audit query (query string of `GET …/audit`), all optional and combined with AND. */
export const AuditQueryParameters = Type.Object(
  {
    type: Type.Optional(Type.String({ maxLength: 200 })),
    outcome: Type.Optional(Type.String({ maxLength: 20 })),
    subject: Type.Optional(Type.String({ maxLength: 500 })),
    client_id: Type.Optional(Type.String({ maxLength: 500 })),
    /** Inclusive lower bound on `at` (epoch ms). */
    since: Type.Optional(Type.Integer({ minimum: 0 })),
    /** Exclusive upper bound on `at` (epoch ms). */
    until: Type.Optional(Type.Integer({ minimum: 0 })),
    /** Only records with an id below this (paging backwards). */
    before_id: Type.Optional(Type.Integer({ minimum: 1 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
  },
  { additionalProperties: false },
);
export type AuditQueryParameters = Static<typeof AuditQueryParameters>;
