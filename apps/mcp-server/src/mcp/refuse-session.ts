import type { FastifyReply } from 'fastify';
import { JSON_RPC_SERVER_ERROR, jsonRpcError } from './json-rpc-error.js';
import type { SessionAdmission } from './session-registry.js';

/**
 * A new session refused by a limit. A client or subject at its own limit gets 429 (RFC 6585 §4), a full table 503
 * (RFC 9110 §15.6.4); both with `Retry-After` (RFC 9110 §10.2.3) and the transport's JSON-RPC error shape.
 */
export function refuseSession(
  reply: FastifyReply,
  refusal: Extract<SessionAdmission, { admitted: false }>,
): FastifyReply {
  const [status, message] =
    refusal.reason === 'capacity'
      ? [503, 'Service unavailable: too many sessions; retry later']
      : refusal.reason === 'client_limit'
        ? [429, 'Too many sessions for this client; retry later']
        : [429, 'Too many sessions for this user; retry later'];
  return reply
    .code(status)
    .header('retry-after', String(refusal.retryAfterSeconds))
    .send(jsonRpcError(JSON_RPC_SERVER_ERROR, message));
}
