import { oauthErrorResponseSchema } from '@ema/oauth-server/fastify';
import { AuditQueryParameters, AuditRecordList, MEDIA_TYPE_JSON_LINES } from '@ema/protocol';
import { auditQuery, auditRecordView } from '@ema/storage';
import type { FastifyPluginAsyncTypebox, TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { IdpContext } from '../idp-context.js';
import { ENDPOINT_PATHS } from '../routes/endpoint-paths.js';
import type { AdminActor } from './admin-audit.js';
import { authenticateAdminApi } from './admin-auth.js';
import { adminNotFound } from './admin-errors.js';
import {
  ClientInput,
  ClientPatch,
  GroupInput,
  PolicyRuleInput,
  ResourceInput,
  ResourcePatch,
  UserInput,
  UserPatch,
  WhatIfInput,
} from './admin-schemas.js';
import {
  ClientView,
  ClientWithSecretView,
  GroupView,
  PasskeyResetView,
  PasskeyView,
  PolicyRuleView,
  ResourceView,
  RotationView,
  SigningKeysView,
  UserView,
  WhatIfView,
} from './admin-view-schemas.js';
import { clientView, createClient, deleteClient, rotateClientSecret, updateClient } from './manage-clients.js';
import { listUserPasskeys, resetUserPasskeys } from './manage-passkeys.js';
import {
  createPolicyRule,
  createResource,
  deletePolicyRule,
  deleteResource,
  replacePolicyRule,
  updateResource,
} from './manage-policy.js';
import { createGroup, createUser, deleteGroup, deleteUser, updateUser } from './manage-users.js';
import { revocationAdminRoutes } from './revocation-admin-routes.js';
import { rotateSigningKey } from './rotate-signing-key.js';
import { whatIf } from './what-if.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the admin API's authentication hook. */
    adminActor: AdminActor | null;
  }
}

const errors = { '4xx': oauthErrorResponseSchema };
const noContent = { 204: Type.Null(), ...errors };
const Id = Type.Object({ id: Type.String() });
const Name = Type.Object({ name: Type.String() });
const ClientId = Type.Object({ clientId: Type.String() });

/**
 * The admin JSON API under `/admin/api`: the same powers as the console (users, groups, clients, resources, policy
 * rules, what-if, audit log, signing-key rotation), for automation. See `authenticateAdminApi` for authentication.
 */
export const adminApiRoutes: FastifyPluginAsyncTypebox<{ context: IdpContext }> = async (root, { context }) => {
  root.decorateRequest('adminActor', null);
  await root.register(
    async (instance) => {
      const fastify = instance.withTypeProvider<TypeBoxTypeProvider>();
      fastify.addHook('onRequest', async (request, reply) => {
        reply.header('cache-control', 'no-store');
        request.adminActor = authenticateAdminApi(context, request);
      });
      const actor = (request: { adminActor: AdminActor | null }): AdminActor =>
        request.adminActor ?? { name: 'unknown' };

      fastify.get('/users', { schema: { response: { 200: Type.Array(UserView), ...errors } } }, async () =>
        context.storage.listUsers(),
      );
      fastify.post(
        '/users',
        { schema: { body: UserInput, response: { 201: UserView, ...errors } } },
        async (request, reply) => reply.code(201).send(await createUser(context, actor(request), request.body)),
      );
      fastify.get('/users/:id', { schema: { params: Id, response: { 200: UserView, ...errors } } }, async (request) => {
        const user = context.storage.findUserById(request.params.id);
        if (user === undefined) throw adminNotFound('user');
        return user;
      });
      fastify.patch(
        '/users/:id',
        { schema: { params: Id, body: UserPatch, response: { 200: UserView, ...errors } } },
        async (request) => updateUser(context, actor(request), request.params.id, request.body),
      );
      fastify.delete('/users/:id', { schema: { params: Id, response: noContent } }, async (request, reply) => {
        deleteUser(context, actor(request), request.params.id);
        return reply.code(204).send(null);
      });

      fastify.get(
        '/users/:id/passkeys',
        { schema: { params: Id, response: { 200: Type.Array(PasskeyView), ...errors } } },
        async (request) => listUserPasskeys(context, request.params.id),
      );
      fastify.delete(
        '/users/:id/passkeys',
        { schema: { params: Id, response: { 200: PasskeyResetView, ...errors } } },
        async (request) => resetUserPasskeys(context, actor(request), request.params.id),
      );

      fastify.get('/groups', { schema: { response: { 200: Type.Array(GroupView), ...errors } } }, async () =>
        context.storage.listGroups(),
      );
      fastify.post(
        '/groups',
        { schema: { body: GroupInput, response: { 201: GroupView, ...errors } } },
        async (request, reply) => reply.code(201).send(createGroup(context, actor(request), request.body)),
      );
      fastify.delete('/groups/:name', { schema: { params: Name, response: noContent } }, async (request, reply) => {
        deleteGroup(context, actor(request), request.params.name);
        return reply.code(204).send(null);
      });

      fastify.get('/clients', { schema: { response: { 200: Type.Array(ClientView), ...errors } } }, async () =>
        context.storage.listClients().map(clientView),
      );
      fastify.post(
        '/clients',
        { schema: { body: ClientInput, response: { 201: ClientWithSecretView, ...errors } } },
        async (request, reply) => reply.code(201).send(createClient(context, actor(request), request.body)),
      );
      fastify.patch(
        '/clients/:clientId',
        { schema: { params: ClientId, body: ClientPatch, response: { 200: ClientView, ...errors } } },
        async (request) => updateClient(context, actor(request), request.params.clientId, request.body),
      );
      fastify.post(
        '/clients/:clientId/secret',
        { schema: { params: ClientId, response: { 200: Type.Object({ clientSecret: Type.String() }), ...errors } } },
        async (request) => rotateClientSecret(context, actor(request), request.params.clientId),
      );
      fastify.delete(
        '/clients/:clientId',
        { schema: { params: ClientId, response: noContent } },
        async (request, reply) => {
          deleteClient(context, actor(request), request.params.clientId);
          return reply.code(204).send(null);
        },
      );

      fastify.get('/resources', { schema: { response: { 200: Type.Array(ResourceView), ...errors } } }, async () =>
        context.storage.listResources(),
      );
      fastify.post(
        '/resources',
        { schema: { body: ResourceInput, response: { 201: ResourceView, ...errors } } },
        async (request, reply) => reply.code(201).send(createResource(context, actor(request), request.body)),
      );
      fastify.patch(
        '/resources/:id',
        { schema: { params: Id, body: ResourcePatch, response: { 200: ResourceView, ...errors } } },
        async (request) => updateResource(context, actor(request), request.params.id, request.body),
      );
      fastify.delete('/resources/:id', { schema: { params: Id, response: noContent } }, async (request, reply) => {
        deleteResource(context, actor(request), request.params.id);
        return reply.code(204).send(null);
      });

      fastify.get('/policy-rules', { schema: { response: { 200: Type.Array(PolicyRuleView), ...errors } } }, async () =>
        context.storage.listPolicyRules(),
      );
      fastify.post(
        '/policy-rules',
        { schema: { body: PolicyRuleInput, response: { 201: PolicyRuleView, ...errors } } },
        async (request, reply) => reply.code(201).send(createPolicyRule(context, actor(request), request.body)),
      );
      fastify.put(
        '/policy-rules/:id',
        { schema: { params: Id, body: PolicyRuleInput, response: { 200: PolicyRuleView, ...errors } } },
        async (request) => replacePolicyRule(context, actor(request), request.params.id, request.body),
      );
      fastify.delete('/policy-rules/:id', { schema: { params: Id, response: noContent } }, async (request, reply) => {
        deletePolicyRule(context, actor(request), request.params.id);
        return reply.code(204).send(null);
      });

      fastify.post(
        '/what-if',
        { schema: { body: WhatIfInput, response: { 200: WhatIfView, ...errors } } },
        async (request) => whatIf(context, request.body),
      );

      fastify.get(
        '/audit',
        { schema: { querystring: AuditQueryParameters, response: { 200: AuditRecordList, ...errors } } },
        async (request) => ({ events: context.audit.query(auditQuery(request.query)).map(auditRecordView) }),
      );
      fastify.get(
        '/audit/export',
        { schema: { response: { 200: Type.String(), ...errors } } },
        async (_request, reply) => {
          reply
            .header('content-disposition', 'attachment; filename="idp-audit.jsonl"')
            .type(`${MEDIA_TYPE_JSON_LINES}; charset=utf-8`);
          return [...context.audit.exportJsonLines()].join('');
        },
      );

      fastify.get('/signing-keys', { schema: { response: { 200: SigningKeysView, ...errors } } }, async () => {
        // Read through: another instance may have rotated a moment ago (see the console's keys page).
        await context.keyStore.refresh();
        return {
          currentKid: context.keyStore.signer().kid,
          nextKid: context.keyStore.nextKid(),
          jwks: context.keyStore.jwks(),
        };
      });
      fastify.post(
        '/signing-keys/rotate',
        { schema: { response: { 200: RotationView, ...errors } } },
        async (request) => rotateSigningKey(context, actor(request)),
      );
      await fastify.register(revocationAdminRoutes, { context });
    },
    { prefix: ENDPOINT_PATHS.adminApi },
  );
};
