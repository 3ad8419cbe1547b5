/**
 * Admin API routes of revocation across the chain (under `/admin/api`, behind its authentication): a user's SSO
 * sessions and their revocation, the SSF Receivers (registering one issues its bearer token, shown once), their
 * streams, and the outbox of Security Events with each one's delivery state.
 */
import { randomBytes } from 'node:crypto';
import { oauthErrorResponseSchema } from '@ema/oauth-server/fastify';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { IdpContext } from '../idp-context.js';
import { generateId } from '../tokens/opaque-token.js';
import type { AdminActor } from './admin-audit.js';
import { auditAdminChange } from './admin-audit.js';
import { adminConflict, adminNotFound, invalidAdminInput } from './admin-errors.js';
import { listUserSessions, revokeSession, revokeUserSessions } from './manage-sessions.js';

const errors = { '4xx': oauthErrorResponseSchema };
const SessionView = Type.Object({
  id: Type.String(),
  userId: Type.String(),
  authTime: Type.Integer(),
  amr: Type.Array(Type.String()),
  expiresAt: Type.Integer(),
});
const RevocationView = Type.Object({ sessions: Type.Integer(), grants: Type.Integer(), idTokens: Type.Integer() });
const ReceiverView = Type.Object({
  receiverId: Type.String(),
  audience: Type.String(),
  description: Type.String(),
  createdAt: Type.Integer(),
});
const ReceiverInput = Type.Object(
  {
    audience: Type.String({ minLength: 1, maxLength: 2048 }),
    description: Type.Optional(Type.String({ maxLength: 256 })),
  },
  { additionalProperties: false },
);
const StreamView = Type.Object({
  streamId: Type.String(),
  receiverId: Type.String(),
  audience: Type.String(),
  endpointUrl: Type.String(),
  eventsDelivered: Type.Array(Type.String()),
  status: Type.String(),
  updatedAt: Type.Integer(),
});
const OutboxView = Type.Object({
  id: Type.Integer(),
  streamId: Type.String(),
  jti: Type.String(),
  eventTypes: Type.Array(Type.String()),
  status: Type.String(),
  attempts: Type.Integer(),
  createdAt: Type.Integer(),
  nextAttemptAt: Type.Integer(),
  finishedAt: Type.Union([Type.Integer(), Type.Null()]),
  lastError: Type.Union([Type.String(), Type.Null()]),
});

/** Registered inside the admin API's authenticated scope. */
export const revocationAdminRoutes: FastifyPluginAsyncTypebox<{ context: IdpContext }> = async (
  fastify,
  { context },
) => {
  const actor = (request: { adminActor: AdminActor | null }): AdminActor => request.adminActor ?? { name: 'unknown' };
  const UserId = Type.Object({ id: Type.String() });

  fastify.get(
    '/users/:id/sessions',
    { schema: { params: UserId, response: { 200: Type.Array(SessionView), ...errors } } },
    async (request) => listUserSessions(context, request.params.id),
  );
  fastify.post(
    '/users/:id/sessions/revoke',
    { schema: { params: UserId, response: { 200: RevocationView, ...errors } } },
    async (request) => revokeUserSessions(context, actor(request), request.params.id),
  );
  fastify.delete(
    '/sessions/:sid',
    { schema: { params: Type.Object({ sid: Type.String() }), response: { 200: RevocationView, ...errors } } },
    async (request) => revokeSession(context, actor(request), request.params.sid),
  );

  const { receivers, streams, outbox } = context.signals;
  fastify.get('/ssf/receivers', { schema: { response: { 200: Type.Array(ReceiverView), ...errors } } }, async () =>
    receivers.list(),
  );
  fastify.post(
    '/ssf/receivers',
    {
      schema: {
        body: ReceiverInput,
        response: { 201: Type.Object({ ...ReceiverView.properties, token: Type.String() }), ...errors },
      },
    },
    async (request, reply) => {
      const { audience, description = '' } = request.body;
      if (!URL.canParse(audience)) throw invalidAdminInput('audience: must be the authorization server issuer URL');
      const receiver = { receiverId: generateId('rcv'), audience, description, createdAt: context.now() };
      // The Receiver's credential at the stream management API: shown once, stored as a hash.
      const token = randomBytes(32).toString('base64url');
      if (!receivers.insert(receiver, token)) throw adminConflict(`receiver for ${audience}`);
      auditAdminChange(context, actor(request), 'ssf_receiver.create', { receiverId: receiver.receiverId, audience });
      return reply.code(201).send({ ...receiver, token });
    },
  );
  fastify.delete(
    '/ssf/receivers/:id',
    { schema: { params: UserId, response: { 204: Type.Null(), ...errors } } },
    async (request, reply) => {
      const stream = streams.findStreamOfReceiver(request.params.id);
      if (
        !context.storage.transaction(() => {
          if (stream !== undefined) streams.deleteStream(stream.streamId);
          return receivers.delete(request.params.id);
        })
      ) {
        throw adminNotFound('receiver');
      }
      auditAdminChange(context, actor(request), 'ssf_receiver.delete', { receiverId: request.params.id });
      return reply.code(204).send(null);
    },
  );
  fastify.get('/ssf/streams', { schema: { response: { 200: Type.Array(StreamView), ...errors } } }, async () =>
    streams.listStreams().map((stream) => ({
      streamId: stream.streamId,
      receiverId: stream.receiverId,
      audience: stream.audience,
      endpointUrl: stream.endpointUrl,
      eventsDelivered: [...stream.eventsDelivered],
      status: stream.status,
      updatedAt: stream.updatedAt,
    })),
  );
  fastify.get(
    '/ssf/outbox',
    {
      schema: {
        querystring: Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })) }),
        response: { 200: Type.Array(OutboxView), ...errors },
      },
    },
    async (request) =>
      outbox.recent(request.query.limit ?? 50).map((entry) => ({
        id: entry.id,
        streamId: entry.destination,
        jti: entry.jti,
        eventTypes: Object.keys(entry.claims.events),
        status: entry.status,
        attempts: entry.attempts,
        createdAt: entry.createdAt,
        nextAttemptAt: entry.nextAttemptAt,
        finishedAt: entry.finishedAt,
        lastError: entry.lastError,
      })),
  );
};
