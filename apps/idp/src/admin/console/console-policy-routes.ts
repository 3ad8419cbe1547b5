import { AMR_MULTI_FACTOR } from '@ema/protocol';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyReply } from 'fastify';
import type { IdpContext } from '../../idp-context.js';
import { auditContent, dashboardContent, keysContent, whatIfContent } from '../../pages/admin/insight-pages.js';
import { policyContent, resourcesContent } from '../../pages/admin/registry-pages.js';
import { htmlSchema } from '../../routes/schemas.js';
import { PolicyRuleInput, ResourceInput, WhatIfInput } from '../admin-schemas.js';
import { auditFilter } from '../audit-filter.js';
import { createPolicyRule, createResource, deletePolicyRule, deleteResource } from '../manage-policy.js';
import { rotateSigningKey } from '../rotate-signing-key.js';
import { whatIf } from '../what-if.js';
import { type ConsoleAdmin, requireConsoleAdmin } from './console-guard.js';
import { attempt, redirectDone, renderConsole } from './console-render.js';
import { checkFormInput, listField } from './form-input.js';

const Form = Type.Record(Type.String(), Type.String());
const Done = Type.Object({ done: Type.Optional(Type.String()) });
const Query = Type.Record(Type.String(), Type.String());
const IdParam = Type.Object({ id: Type.String() });
const pageSchema = {
  response: { 200: htmlSchema, 302: htmlSchema, 303: htmlSchema, 400: htmlSchema, 403: htmlSchema },
};
type Options = { done?: string | undefined; error?: string; status?: number };

/** Console pages for resources, policy rules, "what if", the audit log, signing keys and the dashboard. */
export const consolePolicyRoutes: FastifyPluginAsyncTypebox<{ context: IdpContext }> = async (fastify, { context }) => {
  const { storage } = context;
  const resources = (reply: FastifyReply, admin: ConsoleAdmin, options: Options = {}) =>
    renderConsole(reply, admin, 'Resources', resourcesContent(storage.listResources(), admin.csrfToken), options);
  const policy = (reply: FastifyReply, admin: ConsoleAdmin, options: Options = {}) =>
    renderConsole(
      reply,
      admin,
      'Policy',
      policyContent(storage.listPolicyRules(), storage.listResources(), admin.csrfToken),
      options,
    );
  const keys = async (reply: FastifyReply, admin: ConsoleAdmin, options: Options = {}) => {
    // Read through: the rotation may have been made a moment ago on another instance (the redirect after the console's
    // own rotation may land there), before this one's notice-driven refresh ran.
    await context.keyStore.refresh();
    const published = context.keyStore.jwks().keys.map((key) => key.kid ?? '');
    return renderConsole(
      reply,
      admin,
      'Signing keys',
      keysContent(context.keyStore.signer().kid, context.keyStore.nextKid(), published, admin.csrfToken),
      options,
    );
  };

  fastify.get('/admin', { schema: pageSchema }, async (request, reply) => {
    const admin = requireConsoleAdmin(context, request, reply);
    if (admin === undefined) return reply;
    const counts = {
      Users: storage.listUsers().length,
      Groups: storage.listGroups().length,
      Clients: storage.listClients().length,
      Resources: storage.listResources().length,
      'Policy rules': storage.listPolicyRules().length,
    };
    return renderConsole(reply, admin, 'Admin console', dashboardContent(counts));
  });

  fastify.get('/admin/resources', { schema: { querystring: Done, ...pageSchema } }, async (request, reply) => {
    const admin = requireConsoleAdmin(context, request, reply);
    return admin === undefined ? reply : resources(reply, admin, { done: request.query.done });
  });
  fastify.post('/admin/resources', { schema: { body: Form, ...pageSchema } }, async (request, reply) => {
    const form = request.body;
    const admin = requireConsoleAdmin(context, request, reply, form);
    if (admin === undefined) return reply;
    const input = {
      id: form.id,
      name: form.name,
      audience: form.audience,
      resource: form.resource,
      scopes: listField(form.scopes),
    };
    const result = await attempt(() => createResource(context, admin.actor, checkFormInput(ResourceInput, input)));
    return result.ok
      ? redirectDone(reply, '/admin/resources', 'created')
      : resources(reply, admin, { error: result.error, status: 400 });
  });
  fastify.post(
    '/admin/resources/:id/delete',
    { schema: { params: IdParam, body: Form, ...pageSchema } },
    async (request, reply) => {
      const admin = requireConsoleAdmin(context, request, reply, request.body);
      if (admin === undefined) return reply;
      const result = await attempt(() => deleteResource(context, admin.actor, request.params.id));
      return result.ok
        ? redirectDone(reply, '/admin/resources', 'deleted')
        : resources(reply, admin, { error: result.error, status: 400 });
    },
  );

  fastify.get('/admin/policy', { schema: { querystring: Done, ...pageSchema } }, async (request, reply) => {
    const admin = requireConsoleAdmin(context, request, reply);
    return admin === undefined ? reply : policy(reply, admin, { done: request.query.done });
  });
  fastify.post('/admin/policy', { schema: { body: Form, ...pageSchema } }, async (request, reply) => {
    const form = request.body;
    const admin = requireConsoleAdmin(context, request, reply, form);
    if (admin === undefined) return reply;
    const input = {
      ...(form.id === undefined ? {} : { id: form.id }),
      description: form.description,
      effect: form.effect,
      subjectType: form.subjectType,
      subject: form.subject,
      clientId: form.clientId ?? null,
      resourceId: form.resourceId,
      scopes: listField(form.scopes),
      maxAuthAgeSeconds:
        form.maxAuthAgeSeconds === undefined || form.maxAuthAgeSeconds === '' ? null : Number(form.maxAuthAgeSeconds),
      // The console's one method condition: "requires a second factor" (RFC 8176 `mfa`).
      requiredAmr: form.requireSecondFactor === 'on' ? [AMR_MULTI_FACTOR] : null,
    };
    const result = await attempt(() => createPolicyRule(context, admin.actor, checkFormInput(PolicyRuleInput, input)));
    return result.ok
      ? redirectDone(reply, '/admin/policy', 'created')
      : policy(reply, admin, { error: result.error, status: 400 });
  });
  fastify.post(
    '/admin/policy/:id/delete',
    { schema: { params: IdParam, body: Form, ...pageSchema } },
    async (request, reply) => {
      const admin = requireConsoleAdmin(context, request, reply, request.body);
      if (admin === undefined) return reply;
      const result = await attempt(() => deletePolicyRule(context, admin.actor, request.params.id));
      return result.ok
        ? redirectDone(reply, '/admin/policy', 'deleted')
        : policy(reply, admin, { error: result.error, status: 400 });
    },
  );

  fastify.get('/admin/what-if', { schema: { querystring: Query, ...pageSchema } }, async (request, reply) => {
    const admin = requireConsoleAdmin(context, request, reply);
    if (admin === undefined) return reply;
    const lists = { users: storage.listUsers(), clients: storage.listClients(), resources: storage.listResources() };
    const query = request.query;
    if (query.username === undefined) return renderConsole(reply, admin, 'What if', whatIfContent(lists));
    const input = {
      username: query.username,
      clientId: query.clientId ?? '',
      resource: query.resource ?? '',
      ...(query.scope === undefined || query.scope === '' ? {} : { scope: query.scope }),
      ...(query.authAgeSeconds === undefined || query.authAgeSeconds === ''
        ? {}
        : { authAgeSeconds: Number(query.authAgeSeconds) }),
      ...(listField(query.amr).length === 0 ? {} : { amr: listField(query.amr) }),
    };
    const result = await attempt(() => whatIf(context, checkFormInput(WhatIfInput, input)));
    if (!result.ok)
      return renderConsole(reply, admin, 'What if', whatIfContent(lists), { error: result.error, status: 400 });
    return renderConsole(reply, admin, 'What if', whatIfContent(lists, result.value));
  });

  fastify.get('/admin/audit', { schema: { querystring: Query, ...pageSchema } }, async (request, reply) => {
    const admin = requireConsoleAdmin(context, request, reply);
    if (admin === undefined) return reply;
    const filter = auditFilter(request.query);
    return renderConsole(
      reply,
      admin,
      'Audit log',
      auditContent(context.audit.query({ limit: 200, ...filter }), filter),
    );
  });
  fastify.get(
    '/admin/audit/export',
    { schema: { response: { 200: Type.String(), 302: htmlSchema, 403: htmlSchema } } },
    async (request, reply) => {
      const admin = requireConsoleAdmin(context, request, reply);
      if (admin === undefined) return reply;
      return reply
        .header('content-disposition', 'attachment; filename="idp-audit.jsonl"')
        .header('cache-control', 'no-store')
        .type('application/x-ndjson; charset=utf-8')
        .send([...context.audit.exportJsonLines()].join(''));
    },
  );

  fastify.get('/admin/keys', { schema: { querystring: Done, ...pageSchema } }, async (request, reply) => {
    const admin = requireConsoleAdmin(context, request, reply);
    return admin === undefined ? reply : keys(reply, admin, { done: request.query.done });
  });
  fastify.post('/admin/keys/rotate', { schema: { body: Form, ...pageSchema } }, async (request, reply) => {
    const admin = requireConsoleAdmin(context, request, reply, request.body);
    if (admin === undefined) return reply;
    await rotateSigningKey(context, admin.actor);
    return redirectDone(reply, '/admin/keys', 'rotated');
  });
};
