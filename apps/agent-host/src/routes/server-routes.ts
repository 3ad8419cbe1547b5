/** The catalog, one server's page, and the actions on it: connect, disconnect, call a tool. */

import { sendPage } from '@ema/html';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyReply } from 'fastify';
import type { McpServerEntry } from '../config.js';
import {
  type ActionResult,
  connectAction,
  saveServerView,
  serverView,
  toolAction,
} from '../connections/server-actions.js';
import { type AgentHostContext, findServer, pageUser } from '../context.js';
import { serverPage } from '../pages/server-page.js';
import { serversPage } from '../pages/servers-page.js';
import { readToolArguments } from '../pages/tool-form.js';
import { requireSession, SESSION_COOKIE, sessionOf, validCsrf } from '../session/session-cookie.js';
import type { PendingAction } from '../storage/pending-step-up.js';
import type { AgentSession } from '../storage/session-store.js';
import { startStepUp } from './step-up.js';

const html = Type.String();
const redirect = Type.Null();
const ServerParams = Type.Object({ id: Type.String() });
const FormBody = Type.Object({ csrf_token: Type.Optional(Type.String()) }, { additionalProperties: true });

/** See the module comment. */
export const serverRoutes: FastifyPluginAsyncTypebox<{ context: AgentHostContext }> = async (fastify, { context }) => {
  fastify.addHook('preHandler', requireSession(context));
  const notFound = (reply: FastifyReply) => reply.code(404).type('text/plain').send('No such MCP server.');
  const badForm = (reply: FastifyReply) =>
    reply.code(403).type('text/plain').send('Invalid form token. Reload the page and try again.');
  /**
   * Answers an action: the server page; the sign-in page when the session must end; or, when a stronger sign-in is
   * asked for, the step-up at the IdP, after which the action is tried again once (see `routes/step-up.ts`).
   */
  const answer = (
    reply: FastifyReply,
    session: AgentSession,
    server: McpServerEntry,
    action: PendingAction,
    result: ActionResult,
  ) => {
    if (result.kind === 'step-up') return startStepUp(context, reply, session, server, action, result.error);
    if (result.kind === 'sign-in-again') {
      context.sessions.destroy(session.idHash);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.redirect('/?expired=1', 303);
    }
    return reply.redirect(`/servers/${server.id}${result.anchor}`, 303);
  };

  fastify.get('/servers', { schema: { response: { 200: html } } }, async (request, reply) => {
    const session = sessionOf(request);
    const servers = context.config.servers.map((server) => ({ server, view: serverView(context, session, server.id) }));
    return sendPage(reply, 200, serversPage(pageUser(session), servers));
  });

  fastify.get(
    '/servers/:id',
    { schema: { params: ServerParams, response: { 200: html, 404: html } } },
    async (request, reply) => {
      const session = sessionOf(request);
      const server = findServer(context, request.params.id);
      if (!server) return notFound(reply);
      return sendPage(reply, 200, serverPage(pageUser(session), server, serverView(context, session, server.id)));
    },
  );

  fastify.post(
    '/servers/:id/connect',
    { schema: { params: ServerParams, body: FormBody, response: { 303: redirect, 403: html, 404: html } } },
    async (request, reply) => {
      const session = sessionOf(request);
      if (!validCsrf(request, request.body.csrf_token)) return badForm(reply);
      const server = findServer(context, request.params.id);
      if (!server) return notFound(reply);
      const result = await connectAction(context, session, server, { afterStepUp: false, log: request.log });
      return answer(reply, session, server, { kind: 'connect' }, result);
    },
  );

  fastify.post(
    '/servers/:id/disconnect',
    { schema: { params: ServerParams, body: FormBody, response: { 303: redirect, 403: html, 404: html } } },
    async (request, reply) => {
      const session = sessionOf(request);
      if (!validCsrf(request, request.body.csrf_token)) return badForm(reply);
      const server = findServer(context, request.params.id);
      if (!server) return notFound(reply);
      context.sessions.deleteServerView(session.idHash, server.id);
      context.ema.forget(session.userKey, server.url);
      return reply.redirect(`/servers/${server.id}`, 303);
    },
  );

  fastify.post(
    '/servers/:id/tools/:tool',
    {
      schema: {
        params: Type.Object({ id: Type.String(), tool: Type.String() }),
        body: FormBody,
        response: { 303: redirect, 403: html, 404: html },
      },
    },
    async (request, reply) => {
      const session = sessionOf(request);
      if (!validCsrf(request, request.body.csrf_token)) return badForm(reply);
      const server = findServer(context, request.params.id);
      if (!server) return notFound(reply);
      const current = serverView(context, session, server.id);
      const tool = current.tools.find((candidate) => candidate.name === request.params.tool);
      if (!current.connected || !tool) return reply.redirect(`/servers/${server.id}`, 303);
      const parsed = readToolArguments(tool, request.body);
      if (!parsed.ok) {
        const { message: _previous, messageTool: _previousTool, ...rest } = current;
        saveServerView(context, session, server.id, {
          ...rest,
          messageTool: tool.name,
          message: { kind: 'connection-error', title: 'Check the form', text: parsed.problem },
        });
        return reply.redirect(`/servers/${server.id}`, 303);
      }
      const action: PendingAction = { kind: 'tool', tool: tool.name, arguments: parsed.arguments };
      const result = await toolAction(context, session, server, tool.name, parsed.arguments, {
        afterStepUp: false,
        log: request.log,
      });
      return answer(reply, session, server, action, result);
    },
  );
};
