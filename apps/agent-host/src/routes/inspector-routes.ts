/** The flow inspector page. */

import { sendPage } from '@ema/html';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { parseFlowRecord } from '../connections/flow-record.js';
import { type AgentHostContext, pageUser } from '../context.js';
import { inspectorPage } from '../pages/inspector-page.js';
import { requireSession, sessionOf } from '../session/session-cookie.js';

/** See the module comment. */
export const inspectorRoutes: FastifyPluginAsyncTypebox<{ context: AgentHostContext }> = async (
  fastify,
  { context },
) => {
  fastify.get(
    '/inspector',
    { preHandler: requireSession(context), schema: { response: { 200: Type.String() } } },
    async (request, reply) => {
      const session = sessionOf(request);
      return sendPage(
        reply,
        200,
        inspectorPage(pageUser(session), parseFlowRecord(context.sessions.lastFlow(session.idHash))),
      );
    },
  );
};
