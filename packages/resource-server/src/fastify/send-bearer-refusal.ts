import type { FastifyReply } from 'fastify';
import type { BearerRefusal } from '../bearer-refusal.js';

/** Sends a refusal as it is: status, headers, and the JSON body (or none, for the bare `401`). */
export function sendBearerRefusal(reply: FastifyReply, refusal: BearerRefusal): FastifyReply {
  reply.code(refusal.status).headers(refusal.headers);
  return refusal.body === undefined ? reply.send() : reply.send(refusal.body);
}
