import { sendDocument as sendPage } from '@ema/html';
import { verifyIdToken } from '@ema/jwt';
import { DEFAULT_ALGORITHMS } from '@ema/protocol';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { IdpContext } from '../idp-context.js';
import { logoutConfirmPage, messagePage } from '../pages/message-page.js';
import { loginCsrfToken, verifyLoginCsrf } from '../session/csrf.js';
import { signOut } from '../session/sign-out.js';
import { currentSession } from '../session/sso-session.js';
import { ENDPOINT_PATHS } from './endpoint-paths.js';
import { htmlSchema } from './schemas.js';

const LogoutParameters = Type.Object(
  {
    id_token_hint: Type.Optional(Type.String()),
    client_id: Type.Optional(Type.String()),
    post_logout_redirect_uri: Type.Optional(Type.String()),
    state: Type.Optional(Type.String()),
    csrf_token: Type.Optional(Type.String()),
  },
  { additionalProperties: true },
);
type LogoutParameters = (typeof LogoutParameters)['static'];

/** Where to send the user after sign-out: the RP's registered post-logout URI, or nowhere (a page). */
type LogoutTarget = { kind: 'page' } | { kind: 'redirect'; url: string } | { kind: 'invalid'; reason: string };

/** Client id named by a valid `id_token_hint` (signed by us, unexpired), and its session id. */
async function hintedClient(context: IdpContext, hint: string | undefined, clientId: string | undefined) {
  if (hint === undefined) return undefined;
  for (const client of clientId === undefined
    ? context.storage.listClients()
    : [context.storage.findClient(clientId)]) {
    if (client === undefined) continue;
    try {
      const { claims } = await verifyIdToken(hint, {
        algorithms: DEFAULT_ALGORITHMS,
        issuer: context.config.issuer,
        keys: context.keyStore.keys(),
        clientId: client.clientId,
        currentDate: new Date(context.now()),
      });
      return { clientId: client.clientId, sid: claims.sid };
    } catch {
      // Not this client's token (or not valid at all): try the next, then fall back to asking the user.
    }
  }
  return undefined;
}

function logoutTarget(context: IdpContext, params: LogoutParameters, clientId: string | undefined): LogoutTarget {
  const uri = params.post_logout_redirect_uri;
  if (uri === undefined) return { kind: 'page' };
  // OIDC RP-Initiated Logout §3: the URI must be registered for the identified client (exact match).
  const client = clientId === undefined ? undefined : context.storage.findClient(clientId);
  if (client === undefined || !client.postLogoutRedirectUris.includes(uri)) {
    return { kind: 'invalid', reason: 'The post_logout_redirect_uri is not registered for this client.' };
  }
  const url = new URL(uri);
  if (params.state !== undefined) url.searchParams.append('state', params.state);
  return { kind: 'redirect', url: url.toString() };
}

/**
 * RP-initiated logout (OIDC RP-Initiated Logout 1.0) at `/logout`. With a valid `id_token_hint` for the current
 * session the user is signed out at once; otherwise a confirmation form (POST with CSRF token) is shown, so a
 * third-party page cannot sign the user out. The session ends, and with it every grant it issued, offline refresh
 * tokens included (OIDC Core §11 allows keeping them; an enterprise sign-out ends access), and the authorization
 * servers are told (CAEP session-revoked), so tokens that descend from the session stop working along the chain.
 */
export const logoutRoutes: FastifyPluginAsyncTypebox<{ context: IdpContext }> = async (fastify, { context }) => {
  const finish = (request: FastifyRequest, reply: FastifyReply, target: LogoutTarget) => {
    const ended = signOut(context, request, reply);
    if (ended !== undefined) {
      context.audit.record({ type: 'sign_out', outcome: 'success', subject: ended.userId, details: { sid: ended.id } });
    }
    if (target.kind === 'redirect') return reply.code(302).redirect(target.url);
    return sendPage(reply, 200, messagePage('Signed out', 'You are signed out of the Acme IdP.'));
  };
  const schema = { response: { 200: htmlSchema, 302: htmlSchema, 400: htmlSchema, 403: htmlSchema } };

  fastify.get(
    ENDPOINT_PATHS.logout,
    { schema: { ...schema, querystring: LogoutParameters } },
    async (request, reply) => {
      const params = request.query;
      const hint = await hintedClient(context, params.id_token_hint, params.client_id);
      const target = logoutTarget(context, params, hint?.clientId ?? params.client_id);
      if (target.kind === 'invalid')
        return sendPage(reply, 400, messagePage('Sign-out refused', target.reason, { error: true }));
      const active = currentSession(context, request);
      if (active === undefined || (hint !== undefined && hint.sid === active.session.id)) {
        return finish(request, reply, target);
      }
      const hidden: Record<string, string> = {};
      for (const name of ['client_id', 'post_logout_redirect_uri', 'state'] as const) {
        const value = name === 'client_id' ? (hint?.clientId ?? params.client_id) : params[name];
        if (value !== undefined) hidden[name] = value;
      }
      return sendPage(reply, 200, logoutConfirmPage(loginCsrfToken(context, request, reply, 'sign-out'), hidden));
    },
  );

  fastify.post(ENDPOINT_PATHS.logout, { schema: { ...schema, body: LogoutParameters } }, async (request, reply) => {
    const params = request.body;
    if (!verifyLoginCsrf(context, request, 'sign-out', params.csrf_token)) {
      return sendPage(reply, 403, messagePage('Sign-out refused', 'The sign-out form expired.', { error: true }));
    }
    const target = logoutTarget(context, params, params.client_id);
    if (target.kind === 'invalid')
      return sendPage(reply, 400, messagePage('Sign-out refused', target.reason, { error: true }));
    return finish(request, reply, target);
  });
};
