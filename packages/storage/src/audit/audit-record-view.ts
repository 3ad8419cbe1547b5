import type { AuditQueryParameters, AuditRecordView } from '@ema/protocol';
import type { AuditQuery, AuditRecord } from './audit-log.js';

/** A record as the admin APIs and the JSON Lines export show it (`@ema/protocol`'s `AuditRecordView`). */
export function auditRecordView(record: AuditRecord): AuditRecordView {
  const view: AuditRecordView = { id: record.id, at: record.at, type: record.type, outcome: record.outcome };
  if (record.reason !== undefined) view.reason = record.reason;
  if (record.actor !== undefined) view.actor = record.actor;
  if (record.subject !== undefined) view.subject = record.subject;
  if (record.clientId !== undefined) view.client_id = record.clientId;
  if (record.resource !== undefined) view.resource = record.resource;
  if (record.jti !== undefined) view.jti = record.jti;
  if (record.details !== undefined) view.details = record.details;
  return view;
}

/** The {@link AuditQuery} of an admin API's query parameters (already validated by `AuditQueryParameters`). */
export function auditQuery(parameters: AuditQueryParameters): AuditQuery {
  const query: AuditQuery = {};
  if (parameters.type !== undefined) query.type = parameters.type;
  if (parameters.outcome !== undefined) query.outcome = parameters.outcome;
  if (parameters.subject !== undefined) query.subject = parameters.subject;
  if (parameters.client_id !== undefined) query.clientId = parameters.client_id;
  if (parameters.since !== undefined) query.since = parameters.since;
  if (parameters.until !== undefined) query.until = parameters.until;
  if (parameters.before_id !== undefined) query.beforeId = parameters.before_id;
  if (parameters.limit !== undefined) query.limit = parameters.limit;
  return query;
}
