/** The catalog, one server's page, and the actions on it: connect, disconnect, call a tool. */

import { sendPage } from '@ema/html';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyReply } from 'fastify';
import { appendLater, type FlowRecord, parseFlowRecord } from '../connections/flow-record.js';
import { callTool, connect } from '../connections/operations.js';
import { parseServerView, type ServerView } from '../connections/server-view.js';
import { type AgentHostContext, emaUser, findServer, pageUser } from '../context.js';
import { explain } from '../pages/messages.js';
import { serverPage } from '../pages/server-page.js';
import { serversPage } from '../pages/servers-page.js';
import { readToolArguments } from '../pages/tool-form.js';
import { requireSession, SESSION_COOKIE, sessionOf, validCsrf } from '../session/session-cookie.js';
import type { AgentSession } from '../storage/session-store.js';

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
  const view = (session: AgentSession, id: string) => parseServerView(context.sessions.serverView(session.idHash, id));
  const save = (session: AgentSession, id: string, next: ServerView) =>
    context.sessions.saveServerView(session.idHash, id, JSON.stringify(next));
  /** A message asking to sign in again ends the session: the next page is the sign-in page. */
  const endIfExpired = (session: AgentSession, reply: FastifyReply, signInAgain: boolean | undefined) => {
    if (!signInAgain) return false;
    context.sessions.destroy(session.idHash);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return true;
  };

  fastify.get('/servers', { schema: { response: { 200: html } } }, async (request, reply) => {
    const session = sessionOf(request);
    const servers = context.config.servers.map((server) => ({ server, view: view(session, server.id) }));
    return sendPage(reply, 200, serversPage(pageUser(session), servers));
  });

  fastify.get(
    '/servers/:id',
    { schema: { params: ServerParams, response: { 200: html, 404: html } } },
    async (request, reply) => {
      const session = sessionOf(request);
      const server = findServer(context, request.params.id);
      if (!server) return notFound(reply);
      return sendPage(reply, 200, serverPage(pageUser(session), server, view(session, server.id)));
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
      const outcome = await connect(context.ema, emaUser(context, session), server);
      const message = outcome.ok ? undefined : explain(outcome.error, server.name);
      const record: FlowRecord = {
        serverId: server.id,
        serverName: server.name,
        serverUrl: server.url,
        startedAt: outcome.exchanges[0]?.at ?? context.now(),
        outcome: outcome.ok
          ? { ok: true, summary: `Connected: ${outcome.value.tools.length} tools` }
          : { ok: false, summary: message?.title ?? 'Failed' },
        exchanges: outcome.exchanges,
        later: [],
      };
      context.sessions.saveLastFlow(session.idHash, JSON.stringify(record));
      if (!outcome.ok) request.log.info({ server: server.id, code: errorCode(outcome.error) }, 'connection refused');
      if (endIfExpired(session, reply, message?.signInAgain)) return reply.redirect('/?expired=1', 303);
      save(
        session,
        server.id,
        outcome.ok
          ? {
              connected: true,
              connectedAt: context.now(),
              grantedScopes: outcome.value.grantedScopes,
              tools: outcome.value.tools,
            }
          : { connected: false, tools: [], ...(message ? { message } : {}) },
      );
      return reply.redirect(`/servers/${server.id}`, 303);
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
      const current = view(session, server.id);
      const tool = current.tools.find((candidate) => candidate.name === request.params.tool);
      if (!current.connected || !tool) return reply.redirect(`/servers/${server.id}`, 303);
      const { message: _previous, messageTool: _previousTool, ...rest } = current;
      const parsed = readToolArguments(tool, request.body);
      if (!parsed.ok) {
        save(session, server.id, {
          ...rest,
          messageTool: tool.name,
          message: { kind: 'connection-error', title: 'Check the form', text: parsed.problem },
        });
        return reply.redirect(`/servers/${server.id}`, 303);
      }
      const outcome = await callTool(context.ema, emaUser(context, session), server, tool.name, parsed.arguments);
      const record = parseFlowRecord(context.sessions.lastFlow(session.idHash));
      if (record?.serverId === server.id) {
        context.sessions.saveLastFlow(session.idHash, JSON.stringify(appendLater(record, outcome.exchanges)));
      }
      if (outcome.ok) {
        save(session, server.id, {
          ...rest,
          grantedScopes: context.ema.cache.last(session.userKey, server.url)?.scopes ?? rest.grantedScopes ?? [],
          lastCall: {
            tool: tool.name,
            arguments: parsed.arguments,
            isError: outcome.value.isError === true,
            content: outcome.value.content,
            ...(outcome.value.structuredContent !== undefined
              ? { structuredContent: outcome.value.structuredContent }
              : {}),
            at: context.now(),
          },
        });
        return reply.redirect(`/servers/${server.id}#result`, 303);
      }
      const message = explain(outcome.error, server.name, tool.name);
      request.log.info({ server: server.id, tool: tool.name, code: errorCode(outcome.error) }, 'tool call refused');
      if (endIfExpired(session, reply, message.signInAgain)) return reply.redirect('/?expired=1', 303);
      const { lastCall: _lastCall, ...withoutCall } = rest;
      if (message.kind === 'access-revoked') {
        // Cut off: the connection ends here (no token kept, no tools shown), and nothing retries on its own.
        context.ema.forget(session.userKey, server.url);
        save(session, server.id, { connected: false, tools: [], message, messageTool: tool.name });
        return reply.redirect(`/servers/${server.id}`, 303);
      }
      save(session, server.id, { ...withoutCall, message, messageTool: tool.name });
      return reply.redirect(`/servers/${server.id}`, 303);
    },
  );
};

function errorCode(error: unknown): string {
  return typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : 'unknown';
}
