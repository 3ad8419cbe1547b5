import { generateClientSecret, hashClientSecret, InvalidRequestError } from '@ema/oauth-server';
import { type FastifyPluginAsyncTypebox, Type } from '@fastify/type-provider-typebox';
import type { RasContext } from '../context.js';
import type { RasClient } from '../storage/registry.js';
import { adminErrors, ClientSecretView, ClientView, Deleted, DisplayName, GrantView, Scopes } from './admin-schemas.js';

const ClientIdParam = Type.Object({ clientId: Type.String({ minLength: 1, maxLength: 200 }) });

/**
 * Admin API: clients and what they may obtain. Client secrets are generated here (high entropy), shown once, and
 * stored only as SHA-256 hashes.
 */
export const clientRoutes: FastifyPluginAsyncTypebox<{ ctx: RasContext }> = async (app, { ctx }) => {
  const { registry, audit } = ctx.storage;
  const clientView = (client: RasClient) => ({
    client_id: client.clientId,
    name: client.name,
    public: client.secretHash === null,
    created_at: client.createdAt,
    grants: registry
      .listClientGrants(client.clientId)
      .map((grant) => ({ resource: grant.resource, scopes: grant.scopes })),
  });

  app.get(
    '/clients',
    { schema: { response: { 200: Type.Object({ clients: Type.Array(ClientView) }), ...adminErrors } } },
    async () => ({ clients: registry.listClients().map(clientView) }),
  );

  app.post(
    '/clients',
    {
      schema: {
        body: Type.Object(
          {
            client_id: Type.String({ minLength: 1, maxLength: 200, pattern: '^[\\x21-\\x7E]+$' }),
            name: DisplayName,
          },
          { additionalProperties: false },
        ),
        response: { 201: ClientSecretView, ...adminErrors },
      },
    },
    async (request, reply) => {
      const secret = generateClientSecret();
      const created = registry.insertClient(
        { clientId: request.body.client_id, name: request.body.name, secretHash: hashClientSecret(secret) },
        ctx.now(),
      );
      if (!created) throw new InvalidRequestError('client_id is already registered');
      audit.record({
        type: 'admin.client.create',
        outcome: 'info',
        actor: 'admin-api',
        clientId: request.body.client_id,
      });
      reply.code(201).header('Cache-Control', 'no-store');
      return { client_id: request.body.client_id, client_secret: secret };
    },
  );

  app.post(
    '/clients/:clientId/secret',
    { schema: { params: ClientIdParam, response: { 200: ClientSecretView, ...adminErrors } } },
    async (request, reply) => {
      const secret = generateClientSecret();
      if (!registry.setClientSecretHash(request.params.clientId, hashClientSecret(secret))) {
        throw new InvalidRequestError('unknown client');
      }
      audit.record({
        type: 'admin.client.secret_rotate',
        outcome: 'info',
        actor: 'admin-api',
        clientId: request.params.clientId,
      });
      reply.header('Cache-Control', 'no-store');
      return { client_id: request.params.clientId, client_secret: secret };
    },
  );

  app.delete(
    '/clients/:clientId',
    { schema: { params: ClientIdParam, response: { 200: Deleted, ...adminErrors } } },
    async (request) => {
      const deleted = registry.deleteClient(request.params.clientId);
      audit.record({
        type: 'admin.client.delete',
        outcome: 'info',
        actor: 'admin-api',
        clientId: request.params.clientId,
        details: { deleted },
      });
      return { deleted };
    },
  );

  app.put(
    '/clients/:clientId/grants',
    {
      schema: {
        params: ClientIdParam,
        body: Type.Object({ resource: Type.String(), scopes: Scopes }, { additionalProperties: false }),
        response: { 200: GrantView, ...adminErrors },
      },
    },
    async (request) => {
      const { clientId } = request.params;
      const { resource, scopes } = request.body;
      if (!registry.findClient(clientId)) throw new InvalidRequestError('unknown client');
      const known = registry.findResource(resource);
      if (!known) throw new InvalidRequestError('unknown resource');
      const foreign = scopes.filter((scope) => !known.scopes.includes(scope));
      if (foreign.length > 0) throw new InvalidRequestError(`not scopes of the resource: ${foreign.join(' ')}`);
      registry.upsertClientGrant({ clientId, resource, scopes });
      audit.record({
        type: 'admin.client.grant',
        outcome: 'info',
        actor: 'admin-api',
        clientId,
        resource,
        details: { scopes },
      });
      return { resource, scopes };
    },
  );

  app.delete(
    '/clients/:clientId/grants',
    {
      schema: {
        params: ClientIdParam,
        querystring: Type.Object({ resource: Type.String() }),
        response: { 200: Deleted, ...adminErrors },
      },
    },
    async (request) => {
      const { clientId } = request.params;
      const deleted = registry.deleteClientGrant(clientId, request.query.resource);
      audit.record({
        type: 'admin.client.ungrant',
        outcome: 'info',
        actor: 'admin-api',
        clientId,
        resource: request.query.resource,
        details: { deleted },
      });
      return { deleted };
    },
  );
};
