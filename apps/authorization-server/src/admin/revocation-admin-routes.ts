/**
 * Admin API of revocation across the chain (snake_case, like the rest of this API): where each resource's MCP server
 * receives this RAS's Security Events, this RAS's streams at its IdPs, the cut-offs it applies, and the outbox of the
 * events it forwards with each one's delivery state.
 */
import { InvalidRequestError } from '@ema/oauth-server';
import { checkTransportSecurity } from '@ema/oauth-server/runtime';
import { type FastifyPluginAsyncTypebox, Type } from '@fastify/type-provider-typebox';
import type { RasContext } from '../context.js';
import { adminErrors, Deleted } from './admin-schemas.js';
import { validated } from './registry-routes.js';

const ReceiverView = Type.Object({ resource: Type.String(), endpoint_url: Type.String(), updated_at: Type.Integer() });
const Limit = Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })) });

/** Admin API: resource receivers, SSF subscriptions, cut-offs, outbox. */
export const revocationAdminRoutes: FastifyPluginAsyncTypebox<{ ctx: RasContext }> = async (app, { ctx }) => {
  const { receivers, subscriptions, cutOffs, outbox } = ctx.signals;
  const { audit } = ctx.storage;

  app.get(
    '/resource-receivers',
    { schema: { response: { 200: Type.Object({ receivers: Type.Array(ReceiverView) }), ...adminErrors } } },
    async () => ({
      receivers: receivers.list().map((receiver) => ({
        resource: receiver.resource,
        endpoint_url: receiver.endpointUrl,
        updated_at: receiver.updatedAt,
      })),
    }),
  );
  app.put(
    '/resource-receivers',
    {
      schema: {
        body: Type.Object(
          { resource: Type.String({ maxLength: 2000 }), endpoint_url: Type.String({ maxLength: 2000 }) },
          { additionalProperties: false },
        ),
        response: { 200: ReceiverView, ...adminErrors },
      },
    },
    async (request) => {
      const { resource, endpoint_url: endpointUrl } = request.body;
      validated(() => {
        if (!URL.canParse(endpointUrl)) throw new InvalidRequestError('endpoint_url: must be a URL');
        checkTransportSecurity(endpointUrl, 'endpoint_url', {
          allowInsecureLoopback: ctx.config.allowInsecureLoopback,
        });
      });
      const updatedAt = ctx.now();
      if (!receivers.upsert({ resource, endpointUrl, updatedAt })) {
        throw new InvalidRequestError('resource: not a registered resource');
      }
      audit.record({
        type: 'admin.resource_receiver.upsert',
        outcome: 'info',
        actor: 'admin-api',
        resource,
        details: { endpoint_url: endpointUrl },
      });
      return { resource, endpoint_url: endpointUrl, updated_at: updatedAt };
    },
  );
  app.delete(
    '/resource-receivers',
    {
      schema: {
        querystring: Type.Object({ resource: Type.String() }),
        response: { 200: Deleted, ...adminErrors },
      },
    },
    async (request) => {
      const deleted = receivers.delete(request.query.resource);
      if (deleted) {
        audit.record({
          type: 'admin.resource_receiver.delete',
          outcome: 'info',
          actor: 'admin-api',
          resource: request.query.resource,
        });
      }
      return { deleted };
    },
  );

  app.get(
    '/ssf/subscriptions',
    {
      schema: {
        response: {
          200: Type.Object({
            subscriptions: Type.Array(
              Type.Object({
                transmitter: Type.String(),
                stream_id: Type.Union([Type.String(), Type.Null()]),
                endpoint_url: Type.String(),
                registered_at: Type.Union([Type.Integer(), Type.Null()]),
                verified_at: Type.Union([Type.Integer(), Type.Null()]),
                last_error: Type.Union([Type.String(), Type.Null()]),
              }),
            ),
          }),
          ...adminErrors,
        },
      },
    },
    // The push credential stays out of every answer.
    async () => ({
      subscriptions: subscriptions.list().map((subscription) => ({
        transmitter: subscription.transmitter,
        stream_id: subscription.streamId,
        endpoint_url: subscription.endpointUrl,
        registered_at: subscription.registeredAt,
        verified_at: subscription.verifiedAt,
        last_error: subscription.lastError,
      })),
    }),
  );
  app.get('/ssf/cutoffs', { schema: { querystring: Limit } }, async (request) => ({
    cutoffs: cutOffs.list(request.query.limit ?? 100).map((cutOff) => ({
      iss: cutOff.iss,
      sub: cutOff.sub,
      scope: cutOff.scope,
      access_cutoff: cutOff.appliedAt,
      reason: cutOff.reason,
      updated_at: cutOff.updatedAt,
    })),
  }));
  app.get('/ssf/outbox', { schema: { querystring: Limit } }, async (request) => ({
    events: outbox.recent(request.query.limit ?? 50).map((entry) => ({
      id: entry.id,
      resource: entry.destination,
      jti: entry.jti,
      event_types: Object.keys(entry.claims.events),
      status: entry.status,
      attempts: entry.attempts,
      created_at: entry.createdAt,
      next_attempt_at: entry.nextAttemptAt,
      finished_at: entry.finishedAt,
      last_error: entry.lastError,
    })),
  }));
};
