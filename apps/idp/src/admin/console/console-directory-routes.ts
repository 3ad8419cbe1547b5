import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyReply } from 'fastify';
import type { IdpContext } from '../../idp-context.js';
import { groupsContent, usersContent } from '../../pages/admin/directory-pages.js';
import { clientsContent } from '../../pages/admin/registry-pages.js';
import { htmlSchema } from '../../routes/schemas.js';
import { ClientInput, GroupInput, UserInput, UserPatch } from '../admin-schemas.js';
import { clientView, createClient, deleteClient, rotateClientSecret } from '../manage-clients.js';
import { resetUserPasskeys } from '../manage-passkeys.js';
import { revokeUserSessions } from '../manage-sessions.js';
import { createGroup, createUser, deleteGroup, deleteUser, updateUser } from '../manage-users.js';
import { type ConsoleAdmin, requireConsoleAdmin } from './console-guard.js';
import { attempt, redirectDone, renderConsole } from './console-render.js';
import { checkFormInput, listField, mappingField } from './form-input.js';

const Form = Type.Record(Type.String(), Type.String());
const Done = Type.Object({ done: Type.Optional(Type.String()) });
const pageSchema = {
  response: { 200: htmlSchema, 302: htmlSchema, 303: htmlSchema, 400: htmlSchema, 403: htmlSchema },
};

/** Console pages for users, groups and clients. */
export const consoleDirectoryRoutes: FastifyPluginAsyncTypebox<{ context: IdpContext }> = async (
  fastify,
  { context },
) => {
  const { storage } = context;
  const users = (
    reply: FastifyReply,
    admin: ConsoleAdmin,
    options: { done?: string | undefined; error?: string; status?: number } = {},
  ) =>
    renderConsole(
      reply,
      admin,
      'Users',
      usersContent(storage.listUsers(), storage.countPasskeysByUser(), admin.csrfToken),
      options,
    );
  const groups = (
    reply: FastifyReply,
    admin: ConsoleAdmin,
    options: { done?: string | undefined; error?: string; status?: number } = {},
  ) =>
    renderConsole(
      reply,
      admin,
      'Groups',
      groupsContent(storage.listGroups(), storage.listUsers(), admin.csrfToken),
      options,
    );
  const clients = (
    reply: FastifyReply,
    admin: ConsoleAdmin,
    options: {
      done?: string | undefined;
      error?: string;
      status?: number;
      secret?: { clientId: string; secret: string };
    } = {},
  ) =>
    renderConsole(
      reply,
      admin,
      'Clients',
      clientsContent(storage.listClients().map(clientView), admin.csrfToken, options.secret),
      options,
    );

  fastify.get('/admin/users', { schema: { querystring: Done, ...pageSchema } }, async (request, reply) => {
    const admin = requireConsoleAdmin(context, request, reply);
    return admin === undefined ? reply : users(reply, admin, { done: request.query.done });
  });
  fastify.post('/admin/users', { schema: { body: Form, ...pageSchema } }, async (request, reply) => {
    const form = request.body;
    const admin = requireConsoleAdmin(context, request, reply, form);
    if (admin === undefined) return reply;
    const result = await attempt(() =>
      createUser(
        context,
        admin.actor,
        checkFormInput(UserInput, {
          username: form.username,
          password: form.password,
          name: form.name,
          email: form.email,
          groups: listField(form.groups),
        }),
      ),
    );
    return result.ok
      ? redirectDone(reply, '/admin/users', 'created')
      : users(reply, admin, { error: result.error, status: 400 });
  });
  fastify.post(
    '/admin/users/:id/update',
    { schema: { params: Type.Object({ id: Type.String() }), body: Form, ...pageSchema } },
    async (request, reply) => {
      const form = request.body;
      const admin = requireConsoleAdmin(context, request, reply, form);
      if (admin === undefined) return reply;
      const patch = {
        ...(form.name === undefined ? {} : { name: form.name }),
        ...(form.email === undefined ? {} : { email: form.email }),
        ...(form.password === undefined ? {} : { password: form.password }),
        disabled: form.disabled === 'on',
        groups: listField(form.groups),
      };
      const result = await attempt(() =>
        updateUser(context, admin.actor, request.params.id, checkFormInput(UserPatch, patch)),
      );
      return result.ok
        ? redirectDone(reply, '/admin/users', 'updated')
        : users(reply, admin, { error: result.error, status: 400 });
    },
  );
  fastify.post(
    '/admin/users/:id/passkeys/reset',
    { schema: { params: Type.Object({ id: Type.String() }), body: Form, ...pageSchema } },
    async (request, reply) => {
      const admin = requireConsoleAdmin(context, request, reply, request.body);
      if (admin === undefined) return reply;
      const result = await attempt(() => resetUserPasskeys(context, admin.actor, request.params.id));
      return result.ok
        ? redirectDone(reply, '/admin/users', 'passkeys_reset')
        : users(reply, admin, { error: result.error, status: 400 });
    },
  );
  fastify.post(
    '/admin/users/:id/delete',
    { schema: { params: Type.Object({ id: Type.String() }), body: Form, ...pageSchema } },
    async (request, reply) => {
      const admin = requireConsoleAdmin(context, request, reply, request.body);
      if (admin === undefined) return reply;
      const result = await attempt(() => deleteUser(context, admin.actor, request.params.id));
      return result.ok
        ? redirectDone(reply, '/admin/users', 'deleted')
        : users(reply, admin, { error: result.error, status: 400 });
    },
  );

  fastify.post(
    '/admin/users/:id/sessions/revoke',
    { schema: { params: Type.Object({ id: Type.String() }), body: Form, ...pageSchema } },
    async (request, reply) => {
      const admin = requireConsoleAdmin(context, request, reply, request.body);
      if (admin === undefined) return reply;
      const result = await attempt(() => revokeUserSessions(context, admin.actor, request.params.id));
      return result.ok
        ? redirectDone(reply, '/admin/users', 'revoked')
        : users(reply, admin, { error: result.error, status: 400 });
    },
  );

  fastify.get('/admin/groups', { schema: { querystring: Done, ...pageSchema } }, async (request, reply) => {
    const admin = requireConsoleAdmin(context, request, reply);
    return admin === undefined ? reply : groups(reply, admin, { done: request.query.done });
  });
  fastify.post('/admin/groups', { schema: { body: Form, ...pageSchema } }, async (request, reply) => {
    const form = request.body;
    const admin = requireConsoleAdmin(context, request, reply, form);
    if (admin === undefined) return reply;
    const result = await attempt(() =>
      createGroup(
        context,
        admin.actor,
        checkFormInput(GroupInput, { name: form.name, description: form.description ?? '' }),
      ),
    );
    return result.ok
      ? redirectDone(reply, '/admin/groups', 'created')
      : groups(reply, admin, { error: result.error, status: 400 });
  });
  fastify.post(
    '/admin/groups/:name/delete',
    { schema: { params: Type.Object({ name: Type.String() }), body: Form, ...pageSchema } },
    async (request, reply) => {
      const admin = requireConsoleAdmin(context, request, reply, request.body);
      if (admin === undefined) return reply;
      const result = await attempt(() => deleteGroup(context, admin.actor, request.params.name));
      return result.ok
        ? redirectDone(reply, '/admin/groups', 'deleted')
        : groups(reply, admin, { error: result.error, status: 400 });
    },
  );

  fastify.get('/admin/clients', { schema: { querystring: Done, ...pageSchema } }, async (request, reply) => {
    const admin = requireConsoleAdmin(context, request, reply);
    return admin === undefined ? reply : clients(reply, admin, { done: request.query.done });
  });
  fastify.post('/admin/clients', { schema: { body: Form, ...pageSchema } }, async (request, reply) => {
    const form = request.body;
    const admin = requireConsoleAdmin(context, request, reply, form);
    if (admin === undefined) return reply;
    const input = {
      clientId: form.clientId,
      name: form.name,
      redirectUris: listField(form.redirectUris),
      postLogoutRedirectUris: listField(form.postLogoutRedirectUris),
      mayRequestIdJag: form.mayRequestIdJag === 'on',
      rasClientIds: mappingField(form.rasClientIds),
    };
    const result = await attempt(() => createClient(context, admin.actor, checkFormInput(ClientInput, input)));
    if (!result.ok) return clients(reply, admin, { error: result.error, status: 400 });
    return clients(reply, admin, {
      secret: { clientId: result.value.client.clientId, secret: result.value.clientSecret },
    });
  });
  fastify.post(
    '/admin/clients/:clientId/secret',
    { schema: { params: Type.Object({ clientId: Type.String() }), body: Form, ...pageSchema } },
    async (request, reply) => {
      const admin = requireConsoleAdmin(context, request, reply, request.body);
      if (admin === undefined) return reply;
      const { clientId } = request.params;
      const result = await attempt(() => rotateClientSecret(context, admin.actor, clientId));
      if (!result.ok) return clients(reply, admin, { error: result.error, status: 400 });
      return clients(reply, admin, { secret: { clientId, secret: result.value.clientSecret } });
    },
  );
  fastify.post(
    '/admin/clients/:clientId/delete',
    { schema: { params: Type.Object({ clientId: Type.String() }), body: Form, ...pageSchema } },
    async (request, reply) => {
      const admin = requireConsoleAdmin(context, request, reply, request.body);
      if (admin === undefined) return reply;
      const result = await attempt(() => deleteClient(context, admin.actor, request.params.clientId));
      return result.ok
        ? redirectDone(reply, '/admin/clients', 'deleted')
        : clients(reply, admin, { error: result.error, status: 400 });
    },
  );
};
